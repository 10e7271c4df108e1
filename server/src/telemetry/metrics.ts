// The one interface features record metrics through. Prometheus text (prometheus-metrics.ts) is
// one implementation; other sinks implement the same three makers. Names follow Prometheus
// conventions: `stagecraft_` prefix, `_total` for counters, the unit last (`_ms`).

/** Label values by label name; a label left out is empty. */
export type Labels<L extends string> = Partial<Record<L, string>>;

export interface Counter<L extends string = never> {
  inc(labels?: Labels<L>, by?: number): void;
}

export interface Gauge<L extends string = never> {
  set(value: number, labels?: Labels<L>): void;
}

export interface Histogram<L extends string = never> {
  observe(value: number, labels?: Labels<L>): void;
}

export interface MetricSpec<L extends string> {
  name: string;
  help: string;
  labels?: readonly L[];
}

export interface GaugeSpec<L extends string> extends MetricSpec<L> {
  /**
   * Reads the value when the metrics are read, for a gauge of this process's own state (live
   * scenes, pending events). Without it the gauge holds what was last `set`.
   */
  sample?: () => number | { labels: Labels<L>; value: number }[];
}

export interface HistogramSpec<L extends string> extends MetricSpec<L> {
  /** Upper bounds of the buckets, ascending. */
  buckets: readonly number[];
}

/**
 * Makes metrics. Asking twice for one name gives the same metric, so features that share a
 * metric (every cast voice counts fallbacks on one counter) need not pass it around.
 */
export interface Metrics {
  counter<L extends string = never>(spec: MetricSpec<L>): Counter<L>;
  gauge<L extends string = never>(spec: GaugeSpec<L>): Gauge<L>;
  histogram<L extends string = never>(spec: HistogramSpec<L>): Histogram<L>;
}
