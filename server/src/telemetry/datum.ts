// One published value as CloudWatch models it. The window (window-metrics.ts) makes them, the
// sinks (CloudWatch PutMetricData, EMF lines) send them. CloudWatch checks these limits itself and
// rejects a whole request that breaks one; the AWS SDK checks none of them, so the sinks do.

/** CloudWatch's limits on PutMetricData and on embedded metric format (EMF) documents. */
export const CLOUDWATCH_LIMITS = {
  /** Datums in one PutMetricData request. */
  datumsPerRequest: 1000,
  /** Bytes of one PutMetricData request body before compression. */
  bytesPerRequest: 1_000_000,
  /** Distinct values in one datum's `Values` (with `Counts`). */
  valuesPerDatum: 150,
  /** Dimensions on one datum, or keys in one EMF dimension set. */
  dimensions: 30,
  /** Metrics in one EMF metric directive, and values in one EMF metric's array. */
  emfMetrics: 100,
  emfValues: 100,
  /** Length of a metric name, a dimension name and a dimension value. */
  nameLength: 255,
  dimensionValueLength: 1024,
} as const;

/** CloudWatch units Stagecraft publishes. */
export type Unit = 'Milliseconds' | 'Bytes' | 'Count' | 'Count/Second' | 'Percent' | 'None';

export interface MetricDatum {
  name: string;
  unit: Unit;
  /** Dimension values by name: the process's own (settings) first, then the metric's labels. */
  dimensions: Record<string, string>;
  /** When the window closed, ms since the epoch. */
  timestampMs: number;
  /** A counter's increase over the window, or a gauge's value. */
  value?: number;
  /** A histogram's observations in the window: distinct values and how often each was seen. */
  values?: number[];
  counts?: number[];
}

/**
 * The unit a metric name says by its last word (the project's naming rule in metrics.ts):
 * `_ms`, `_bytes` (and a counter's `_bytes_total`), `_total`, `_per_second`, `_percent`; anything else (a depth, a temperature in
 * `_celsius`, power in `_watts`) is `None`.
 */
export function unitOf(name: string): Unit {
  if (name.endsWith('_ms')) return 'Milliseconds';
  if (name.endsWith('_bytes') || name.endsWith('_bytes_total')) return 'Bytes';
  if (name.endsWith('_total')) return 'Count';
  if (name.endsWith('_per_second')) return 'Count/Second';
  if (name.endsWith('_percent')) return 'Percent';
  return 'None';
}
