// Draws a dashboard body as an SVG picture of its layout: each widget where CloudWatch puts it,
// with its title, the series it plots and its alarm line. No data is drawn: the picture shows
// what the dashboard holds, read from the JSON alone.
import type { DashboardBody, Widget } from './widgets.js';

const COL = 48;
const ROW = 40;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One line per plotted series of a metric widget: its label, its metric and stat, or its expression. */
export function seriesLabels(w: Widget): string[] {
  const props = w.properties as { metrics?: unknown[][]; stat?: string };
  const out: string[] = [];
  for (const m of props.metrics ?? []) {
    const last = m[m.length - 1];
    const opts = (typeof last === 'object' && last !== null ? last : {}) as Record<string, unknown>;
    if (opts.visible === false) continue;
    if (typeof opts.expression === 'string') {
      const found = /MetricName="([^"]+)"/.exec(opts.expression);
      // An empty label makes CloudWatch name each series a SEARCH finds by its dimensions.
      out.push(opts.label ? String(opts.label) : found ? `${found[1]}, one line per series found` : opts.expression);
      continue;
    }
    const [, name, ...rest] = m.filter((x) => typeof x === 'string') as string[];
    const dims: string[] = [];
    for (let i = 0; i + 1 < rest.length; i += 2) if (rest[i] !== 'ClusterName') dims.push(`${rest[i]}=${rest[i + 1]}`);
    out.push(String(opts.label ?? `${name} ${dims.join(' ')} ${opts.stat ?? props.stat ?? ''}`.trim()));
  }
  return out;
}

function widgetSvg(w: Widget): string {
  const x = w.x * COL;
  const y = w.y * ROW;
  const width = w.width * COL - 8;
  const height = w.height * ROW - 8;
  const parts = [`<rect x="${x}" y="${y}" width="${width}" height="${height}" rx="4" fill="#fff" stroke="#c6cbd1"/>`];
  if (w.type === 'text') {
    const lines = String(w.properties.markdown ?? '')
      .replace(/[#`]/g, '')
      .trim()
      .split('\n');
    lines.forEach((l, i) => {
      parts.push(
        `<text x="${x + 10}" y="${y + 22 + i * 18}" font-size="${i === 0 ? 15 : 12}" fill="#16191f">${esc(l.trim())}</text>`,
      );
    });
    return parts.join('');
  }
  const p = w.properties as { title?: string; annotations?: { horizontal?: { value: number }[] }; period?: number };
  parts.push(
    `<text x="${x + 10}" y="${y + 20}" font-size="13" font-weight="bold" fill="#16191f">${esc(String(p.title ?? ''))}</text>`,
  );
  const plotTop = y + 30;
  const plotHeight = height - 40 - 14 * Math.min(6, seriesLabels(w).length);
  parts.push(
    `<line x1="${x + 10}" y1="${plotTop + plotHeight}" x2="${x + width - 10}" y2="${plotTop + plotHeight}" stroke="#879596"/>`,
  );
  parts.push(`<line x1="${x + 10}" y1="${plotTop}" x2="${x + 10}" y2="${plotTop + plotHeight}" stroke="#879596"/>`);
  const threshold = p.annotations?.horizontal?.[0]?.value;
  if (threshold !== undefined) {
    const ty = plotTop + plotHeight * 0.3;
    parts.push(
      `<line x1="${x + 10}" y1="${ty}" x2="${x + width - 10}" y2="${ty}" stroke="#d13212" stroke-dasharray="4 3"/>`,
    );
    parts.push(
      `<text x="${x + width - 12}" y="${ty - 4}" font-size="10" text-anchor="end" fill="#d13212">alarm ${threshold}</text>`,
    );
  }
  const colours = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
  const labels = seriesLabels(w);
  labels.slice(0, 6).forEach((label, i) => {
    const ly = plotTop + plotHeight + 14 + i * 14;
    parts.push(`<rect x="${x + 12}" y="${ly - 8}" width="10" height="3" fill="${colours[i % colours.length]}"/>`);
    const more = i === 5 && labels.length > 6 ? ` … and ${labels.length - 6} more` : '';
    const fits = Math.floor((width - 40) / 5.6) - more.length;
    const shown = label.length > fits ? `${label.slice(0, fits - 1)}…` : label;
    parts.push(`<text x="${x + 28}" y="${ly}" font-size="10" fill="#545b64">${esc(shown + more)}</text>`);
  });
  return parts.join('');
}

/** The SVG picture of a dashboard. */
export function dashboardSvg(title: string, body: DashboardBody): string {
  const width = 24 * COL;
  const height = Math.max(...body.widgets.map((w) => (w.y + w.height) * ROW), ROW) + 40;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="-8 -36 ${width + 8} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<title>${esc(title)}: CloudWatch dashboard layout</title>`,
    `<rect x="-8" y="-36" width="${width + 8}" height="${height}" fill="#f2f3f3"/>`,
    `<text x="0" y="-12" font-size="18" font-weight="bold" fill="#16191f">${esc(title)}</text>`,
    ...body.widgets.map(widgetSvg),
    '</svg>',
    '',
  ].join('\n');
}
