/** Small SVG charts drawn as text, so a report needs no script and no network. */

export const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const f = (n: number) => (Math.round(n * 10) / 10).toString();

export interface Bar {
  label: string;
  value: number;
  /** Text after the bar; default the value. */
  note?: string;
  colour?: string;
}

/** Horizontal bars, one row each, scaled to `max` (default the largest value). */
export function barChart(id: string, bars: Bar[], max = Math.max(1, ...bars.map((b) => b.value))): string {
  const row = 24;
  const labelW = 230;
  const barW = 420;
  const h = bars.length * row + 8;
  const rows = bars.map((b, i) => {
    const y = i * row + 4;
    const w = max > 0 ? (barW * b.value) / max : 0;
    return (
      `<text x="${labelW - 8}" y="${y + 16}" text-anchor="end">${esc(b.label)}</text>` +
      `<rect class="bar" x="${labelW}" y="${y + 3}" width="${f(Math.max(w, b.value > 0 ? 1 : 0))}" height="${row - 8}" fill="${b.colour ?? '#4c78a8'}"><title>${esc(b.label)}: ${esc(b.note ?? String(b.value))}</title></rect>` +
      `<text x="${f(labelW + w + 6)}" y="${y + 16}">${esc(b.note ?? String(b.value))}</text>`
    );
  });
  return `<svg id="${id}" class="chart" width="${labelW + barW + 120}" height="${h}" role="img">${rows.join('')}</svg>`;
}

/** A histogram with vertical markers (such as a pack's minDuration and maxDuration). */
export function histogramChart(
  id: string,
  counts: number[],
  binWidth: number,
  axisLabel: (x: number) => string,
  markers: { at: number; label: string }[],
): string {
  const w = 700;
  const h = 220;
  const left = 40;
  const bottom = 30;
  const top = 20;
  const span = Math.max(binWidth * counts.length, ...markers.map((m) => m.at * 1.05));
  const x = (v: number) => left + ((w - left - 10) * v) / Math.max(1, span);
  const max = Math.max(1, ...counts);
  const y = (c: number) => h - bottom - ((h - bottom - top) * c) / max;
  const bars = counts.map((c, i) => {
    const x0 = x(i * binWidth);
    const x1 = x((i + 1) * binWidth);
    return `<rect class="bar" x="${f(x0)}" y="${f(y(c))}" width="${f(Math.max(1, x1 - x0 - 1))}" height="${f(h - bottom - y(c))}" fill="#4c78a8"><title>${esc(axisLabel(i * binWidth))}–${esc(axisLabel((i + 1) * binWidth))}: ${c}</title></rect>`;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => {
    const v = span * t;
    const anchor = t === 0 ? 'start' : t === 1 ? 'end' : 'middle';
    return `<text x="${f(x(v))}" y="${h - 10}" text-anchor="${anchor}">${esc(axisLabel(v))}</text>`;
  });
  const marks = markers.map(
    (m) =>
      `<line class="marker" x1="${f(x(m.at))}" x2="${f(x(m.at))}" y1="${top - 10}" y2="${h - bottom}" stroke="#d62728" stroke-width="2" stroke-dasharray="5 3"/>` +
      (x(m.at) > w * 0.7
        ? `<text x="${f(x(m.at) - 4)}" y="${top}" fill="#d62728" text-anchor="end">${esc(m.label)}</text>`
        : `<text x="${f(x(m.at) + 4)}" y="${top}" fill="#d62728">${esc(m.label)}</text>`),
  );
  const axis = `<line x1="${left}" x2="${w - 10}" y1="${h - bottom}" y2="${h - bottom}" stroke="#888"/><text x="4" y="${top + 4}">${max}</text>`;
  return `<svg id="${id}" class="chart" width="${w}" height="${h}" role="img">${axis}${bars.join('')}${marks.join('')}${ticks.join('')}</svg>`;
}

/** A line over time (0..1 on the y axis) with event markers along the bottom. */
export function curveChart(
  id: string,
  points: [number, number][],
  endMs: number,
  events: { atMs: number; kind: string; text: string }[],
  axisLabel: (x: number) => string,
): string {
  const w = 700;
  const h = 160;
  const left = 30;
  const bottom = 40;
  const span = Math.max(1, endMs, ...points.map((p) => p[0]));
  const x = (ms: number) => left + ((w - left - 10) * ms) / span;
  const y = (v: number) => 10 + (h - bottom - 10) * (1 - Math.max(0, Math.min(1, v)));
  const line = points.map(([t, v]) => `${f(x(t))},${f(y(v))}`).join(' ');
  const colours: Record<string, string> = { phase: '#2ca02c', line: '#9467bd', down: '#d62728', resolved: '#000' };
  const marks = events.map(
    (e) =>
      `<circle class="event" cx="${f(x(e.atMs))}" cy="${h - bottom + 12}" r="5" fill="${colours[e.kind] ?? '#555'}"><title>${esc(axisLabel(e.atMs))} ${esc(e.text)}</title></circle>`,
  );
  const ticks = [0, 0.5, 1].map(
    (t) =>
      `<text x="${f(x(span * t))}" y="${h - 6}" text-anchor="${t === 0 ? 'start' : t === 1 ? 'end' : 'middle'}">${esc(axisLabel(span * t))}</text>`,
  );
  return (
    `<svg id="${id}" class="chart" width="${w}" height="${h}" role="img">` +
    `<line x1="${left}" x2="${w - 10}" y1="${y(0)}" y2="${y(0)}" stroke="#888"/><text x="2" y="14">1</text><text x="2" y="${f(y(0))}">0</text>` +
    `<polyline class="curve" points="${line}" fill="none" stroke="#ff7f0e" stroke-width="2"/>${marks.join('')}${ticks.join('')}</svg>`
  );
}
