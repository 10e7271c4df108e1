import { formatDuration } from '../direction/durations.js';
import type { SimulationSummary } from '../direction/sim/simulate.js';

const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1)}%`;
const num = (n: number) => Math.round(n).toLocaleString('en-US');

/** The summary as markdown tables, then its intent warnings. */
export function formatSummary(s: SimulationSummary): string {
  const lines = [`## ${s.pack}: ${num(s.battles)} battles from seed ${s.seed}`, ''];
  const w = s.world;
  lines.push(
    `world: player ${w.playerHealth} hp, hits ${w.playerHit[0]}–${w.playerHit[1]}; NPCs ${w.behaviour}${
      Object.keys(w.npcs).length
        ? ` (${Object.entries(w.npcs)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')})`
        : ''
    }; items ${w.items.map((i) => i.name).join(', ') || 'none'}`,
    '',
    `required outcome: ${s.required ?? 'none'}; met in ${num(s.requiredMet)}/${num(s.battles)} (${pct(s.requiredMet, s.battles)})`,
    '',
  );
  lines.push('| outcome | battles | share |', '| --- | ---: | ---: |');
  for (const [k, v] of Object.entries(s.outcomes).sort((a, b) => b[1] - a[1]))
    lines.push(`| ${k} | ${num(v)} | ${pct(v, s.battles)} |`);
  lines.push('', '| ended by | battles |', '| --- | ---: |');
  for (const [k, v] of Object.entries(s.endings).sort((a, b) => b[1] - a[1])) lines.push(`| ${k} | ${num(v)} |`);
  const d = s.durationMs;
  const bounds = [
    s.timing.minMs === null ? '' : `min ${formatDuration(s.timing.minMs)}`,
    s.timing.maxMs === null ? '' : `max ${formatDuration(s.timing.maxMs)}`,
  ].filter(Boolean);
  lines.push(
    '',
    '| duration | min | p10 | p50 | p90 | max | mean |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  lines.push(`| battle | ${[d.min, d.p10, d.p50, d.p90, d.max, d.mean].map(formatDuration).join(' | ')} |`);
  if (bounds.length > 0) {
    const lasted = s.timing.minMs === null ? '' : `; ${num(s.lastedMin)} of ${num(s.battles)} lasted minDuration`;
    lines.push('', `pack timing: ${bounds.join(', ')}${lasted}`);
  }
  if (s.phases.length > 0) {
    lines.push('', '| phase | reached in | share |', '| --- | ---: | ---: |');
    for (const p of s.phases) lines.push(`| ${p.id} | ${num(p.battles)} | ${pct(p.battles, s.battles)} |`);
  }
  if (s.lines.length > 0 || s.unsaid.length > 0) {
    lines.push('', '| line | said in |', '| --- | ---: |');
    for (const l of s.lines) lines.push(`| ${l.line} | ${num(l.battles)} |`);
    for (const l of s.unsaid) lines.push(`| ${l} | 0 |`);
  }
  if (s.playerDamage.length > 0) {
    lines.push('', '| harm to the player | by | hit points | battles | downed |', '| --- | --- | ---: | ---: | ---: |');
    for (const h of s.playerDamage.slice(0, 8))
      lines.push(`| ${h.action} | ${h.by} | ${num(h.points)} | ${num(h.battles)} | ${num(h.downed)} |`);
    if (s.playerDamage.length > 8) lines.push(`| … ${s.playerDamage.length - 8} more (see --json) | | | | |`);
  }
  lines.push(
    '',
    `proposals: ${num(s.proposals)}, allowed: ${num(s.allowed)} (${pct(s.allowed, s.proposals)}), directives: ${num(s.directives)}`,
    '',
  );
  lines.push('| rule | rewrites | vetoes |', '| --- | ---: | ---: |');
  const rules = [...new Set([...Object.keys(s.rewrites), ...Object.keys(s.vetoes)])].sort();
  for (const r of rules) lines.push(`| ${r} | ${num(s.rewrites[r] ?? 0)} | ${num(s.vetoes[r] ?? 0)} |`);
  lines.push('', `violations: ${s.violations}`);
  for (const v of s.firstViolations)
    lines.push(`- battle seed ${v.seed} at ${formatDuration(v.atMs)}: ${v.ruleId}: ${v.message}`);
  lines.push('', `intent warnings: ${s.warnings.length}`);
  for (const warning of s.warnings) lines.push(`- ${warning}`);
  return `${lines.join('\n')}\n`;
}
