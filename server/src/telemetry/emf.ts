import { CLOUDWATCH_LIMITS, type MetricDatum } from './datum.js';

/**
 * CloudWatch embedded metric format documents for `datums`: one JSON object per log line, which
 * CloudWatch Logs turns into metrics in `namespace`. Datums with the same dimensions share a
 * document (at most 100 metrics each). EMF has no counts, so a histogram lists each observation:
 * a value seen n times appears n times, at most 100 values in one document, more in the next.
 */
export function emfDocuments(datums: MetricDatum[], namespace: string): Record<string, unknown>[] {
  const groups = new Map<string, MetricDatum[]>();
  for (const d of datums) {
    const key = JSON.stringify([d.timestampMs, Object.entries(d.dimensions).sort(byName)]);
    const group = groups.get(key);
    if (group) group.push(d);
    else groups.set(key, [d]);
  }
  const docs: Record<string, unknown>[] = [];
  for (const group of groups.values()) {
    const { dimensions, timestampMs } = group[0] as MetricDatum;
    // Each document holds a metric name once; a split histogram's later parts go to later documents.
    let pending = group.flatMap((d) => valueRuns(d).map((value) => ({ d, value })));
    while (pending.length > 0) {
      const names = new Set<string>();
      const now: typeof pending = [];
      const later: typeof pending = [];
      for (const p of pending) {
        if (names.has(p.d.name) || names.size >= CLOUDWATCH_LIMITS.emfMetrics) later.push(p);
        else {
          names.add(p.d.name);
          now.push(p);
        }
      }
      const doc: Record<string, unknown> = {
        _aws: {
          Timestamp: timestampMs,
          CloudWatchMetrics: [
            {
              Namespace: namespace,
              Dimensions: [Object.keys(dimensions)],
              Metrics: now.map((p) => ({ Name: p.d.name, Unit: p.d.unit })),
            },
          ],
        },
        ...dimensions,
      };
      for (const p of now) doc[p.d.name] = p.value;
      docs.push(doc);
      pending = later;
    }
  }
  return docs;
}

/** Code-unit order: any fixed order groups alike, and this one needs no locale tables. */
const byName = ([a]: [string, string], [b]: [string, string]) => (a < b ? -1 : a > b ? 1 : 0);

/** A datum's value for EMF: one number, or arrays of at most 100 observations. */
function valueRuns(d: MetricDatum): (number | number[])[] {
  if (d.value !== undefined) return [d.value];
  const all: number[] = [];
  (d.values ?? []).forEach((v, i) => {
    for (let n = 0; n < (d.counts?.[i] ?? 1); n++) all.push(v);
  });
  const runs: number[][] = [];
  for (let i = 0; i < all.length; i += CLOUDWATCH_LIMITS.emfValues)
    runs.push(all.slice(i, i + CLOUDWATCH_LIMITS.emfValues));
  return runs;
}
