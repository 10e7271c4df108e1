import { formatDuration } from '../direction/durations.js';
import type { SimulationSummary } from '../direction/sim/simulate.js';
import { barChart, curveChart, esc, histogramChart } from './svg-charts.js';

const OUTCOME_COLOURS: Record<string, string> = {
  win: '#2ca02c',
  lose: '#d62728',
  draw: '#7f7f7f',
  unresolved: '#bcbd22',
};

const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1)}%`;

const STYLE = `body{font:14px system-ui,sans-serif;margin:24px;max-width:980px;color:#222}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}
.chart text{font-size:12px;fill:#333}.warnings li{color:#a33}.ok{color:#2a7}
table{border-collapse:collapse}td,th{padding:2px 10px;border-bottom:1px solid #eee;text-align:left}
.timeline{font-size:12px;color:#444;columns:2}`;

/** One self-contained page (inline SVG and CSS, no script, nothing fetched) for a simulation. */
export function simulationHtml(s: SimulationSummary): string {
  const parts: string[] = [];
  parts.push(
    `<h1>${esc(s.pack)}: ${s.battles.toLocaleString('en-US')} battles from seed ${s.seed}</h1>`,
    `<p>Required outcome: <b>${esc(s.required ?? 'none')}</b>, met in ${s.requiredMet} of ${s.battles} (${pct(s.requiredMet, s.battles)}). Violations: <b>${s.violations}</b>.</p>`,
    `<p>Simulated world: player ${s.world.playerHealth} hp; NPCs ${esc(s.world.behaviour)}; items ${esc(s.world.items.map((i) => i.name).join(', ') || 'none')}.</p>`,
  );
  parts.push('<h2>Intent warnings</h2>');
  parts.push(
    s.warnings.length === 0
      ? '<p class="ok" id="no-warnings">None: the battles play out as the pack means them to.</p>'
      : `<ul class="warnings" id="warnings">${s.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`,
  );
  parts.push('<h2>Outcomes</h2>');
  parts.push(
    barChart(
      'outcomes',
      Object.entries(s.outcomes)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => ({ label: k, value: v, note: `${v} (${pct(v, s.battles)})`, colour: OUTCOME_COLOURS[k] })),
      s.battles,
    ),
  );
  parts.push('<h2>Duration</h2>');
  const markers = [
    ...(s.timing.minMs === null
      ? []
      : [{ at: s.timing.minMs, label: `minDuration ${formatDuration(s.timing.minMs)}` }]),
    ...(s.timing.maxMs === null
      ? []
      : [{ at: s.timing.maxMs, label: `maxDuration ${formatDuration(s.timing.maxMs)}` }]),
  ];
  parts.push(
    histogramChart('durations', s.durationHistogram.counts, s.durationHistogram.binMs, formatDuration, markers),
    `<p>min ${formatDuration(s.durationMs.min)}, median ${formatDuration(s.durationMs.p50)}, p90 ${formatDuration(s.durationMs.p90)}, max ${formatDuration(s.durationMs.max)}</p>`,
  );
  if (s.phases.length > 0) {
    parts.push('<h2>Phases reached</h2>');
    parts.push(
      barChart(
        'phases',
        s.phases.map((p) => ({ label: p.id, value: p.battles, note: pct(p.battles, s.battles), colour: '#2ca02c' })),
        s.battles,
      ),
    );
  }
  const rules = [...new Set([...Object.keys(s.rewrites), ...Object.keys(s.vetoes)])].sort();
  parts.push('<h2>Verdicts by rule</h2>');
  parts.push(
    rules.length === 0
      ? '<p>No rule rewrote or vetoed anything.</p>'
      : barChart(
          'verdicts',
          rules.flatMap((r) => [
            { label: `${r} rewrites`, value: s.rewrites[r] ?? 0, colour: '#ff7f0e' },
            { label: `${r} vetoes`, value: s.vetoes[r] ?? 0, colour: '#d62728' },
          ]),
        ),
  );
  if (s.lines.length > 0 || s.unsaid.length > 0) {
    parts.push('<h2>Lines said</h2><table><tr><th>line</th><th>battles</th></tr>');
    for (const l of s.lines) parts.push(`<tr><td>${esc(l.line)}</td><td>${l.battles}</td></tr>`);
    for (const l of s.unsaid) parts.push(`<tr><td>${esc(l)}</td><td>0</td></tr>`);
    parts.push('</table>');
  }
  parts.push('<h2>Sample battles</h2>');
  s.samples.forEach((b, i) => {
    const end = b.resolution ? `${b.resolution.outcome} by ${b.resolution.by}` : 'cut off';
    parts.push(
      `<h3>Battle seed ${b.seed}: ${esc(end)} at ${formatDuration(b.durationMs)}</h3>`,
      curveChart(`sample-${i}`, b.intensity ?? [], b.durationMs, b.events ?? [], formatDuration),
      `<ol class="timeline">${(b.events ?? [])
        .slice(0, 40)
        .map((e) => `<li>${formatDuration(e.atMs)} ${esc(e.text)}</li>`)
        .join('')}</ol>`,
    );
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(s.pack)}: simulation</title><style>${STYLE}</style></head><body>${parts.join('\n')}</body></html>\n`;
}
