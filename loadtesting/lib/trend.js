'use strict';
// Whether memory and latency trend upward over a long run: the mean of the last third of the
// samples against the mean of the first third, after a warm-up share is left out. Thirds rather
// than a fitted slope, because a heap saw-tooths between collections.

const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;

/** Relative growth of `values` (in time order) from the first third to the last, warm-up left out. */
function growth(values, warmUpShare = 0.2) {
  const v = values.filter((x) => Number.isFinite(x)).slice();
  const rest = v.slice(Math.floor(v.length * warmUpShare));
  if (rest.length < 6) return undefined;
  const third = Math.floor(rest.length / 3);
  const first = mean(rest.slice(0, third));
  const last = mean(rest.slice(-third));
  return { first, last, growth: first > 0 ? (last - first) / first : 0 };
}

/**
 * The trend checks of a run: each `limits` entry names a series and the growth it may show.
 * `latencyFloorMs` ignores a latency rise while its last third stays below that many ms; a
 * latency whose limit is null is not judged.
 * Returns [{ ok, text }] in the form of artillery's checks.
 */
function trendChecks(summary, samples, limits) {
  const out = [];
  const pct = (x) => `${Math.round(x * 100)} %`;
  const check = (label, values, limit, unit, floor = 0) => {
    const g = growth(values);
    if (!g) {
      out.push({ ok: false, text: `${label} trend: too few samples to tell (need 6 after warm-up)` });
      return;
    }
    const ok = g.growth <= limit || g.last < floor;
    const fig = `${g.first.toFixed(1)} → ${g.last.toFixed(1)} ${unit}`;
    out.push({
      ok,
      text: `${label} grows ${pct(g.growth)} (${fig}) from the first third to the last; limit ${pct(limit)}`,
    });
  };
  if (limits.rss !== undefined)
    check(
      'server RSS',
      samples.map((s) => s.rssMb),
      limits.rss,
      'MB',
    );
  if (limits.heap !== undefined)
    check(
      'server heap',
      samples.map((s) => s.heapMb),
      limits.heap,
      'MB',
    );
  for (const [name, limit] of Object.entries(limits.latency ?? {})) {
    if (limit === null) continue; // not judged in this form
    const values = summary.series.map((p) => p.p95[name]);
    check(`${name} p95`, values, limit, 'ms', limits.latencyFloorMs ?? 0);
  }
  return out;
}

module.exports = { growth, trendChecks };
