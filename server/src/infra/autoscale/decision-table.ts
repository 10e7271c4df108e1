import type { RoundReport } from './autoscaler.js';

const HEADER = [
  'service',
  'tiers',
  'waiting',
  'in flight',
  'per task',
  'running',
  'desired',
  'next',
  'action',
  'reason',
];
/** Columns aligned right (numbers). */
const RIGHT = new Set([2, 3, 4, 5, 6, 7]);

const num = (n: number | undefined) => (n === undefined ? '-' : String(Math.round(n * 100) / 100));

/** A round as an aligned text table, then its problems, one a line. */
export function decisionTable(report: RoundReport, options: { dryRun: boolean }): string {
  const rows = report.rows.map((r) => [
    r.service,
    r.tiers.join(','),
    num(r.work?.waiting),
    num(r.work?.inFlight),
    num(r.workPerTask),
    num(r.running),
    num(r.desired),
    num(r.next),
    r.action === 'up' || r.action === 'down'
      ? `${r.action}${r.applied ? '' : options.dryRun ? ' (dry run)' : ''}`
      : r.action,
    r.reason,
  ]);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (RIGHT.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [`${new Date(report.atMs).toISOString()}${options.dryRun ? '  dry run: nothing applied' : ''}`];
  out.push(line(HEADER), ...rows.map(line));
  for (const p of report.problems) out.push(`problem: ${p}`);
  return `${out.join('\n')}\n`;
}
