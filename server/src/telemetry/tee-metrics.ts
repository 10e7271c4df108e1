import type { Counter, Gauge, GaugeSpec, Histogram, HistogramSpec, Labels, MetricSpec, Metrics } from './metrics.js';

/** Records every metric in each of `targets`: Prometheus text and a publishing window, say. */
export function teeMetrics(...targets: Metrics[]): Metrics {
  return {
    counter<L extends string = never>(spec: MetricSpec<L>): Counter<L> {
      const all = targets.map((t) => t.counter(spec));
      return {
        inc: (labels?: Labels<L>, by?: number) => {
          for (const c of all) c.inc(labels, by);
        },
      };
    },
    gauge<L extends string = never>(spec: GaugeSpec<L>): Gauge<L> {
      const all = targets.map((t) => t.gauge(spec));
      return {
        set: (value: number, labels?: Labels<L>) => {
          for (const g of all) g.set(value, labels);
        },
      };
    },
    histogram<L extends string = never>(spec: HistogramSpec<L>): Histogram<L> {
      const all = targets.map((t) => t.histogram(spec));
      return {
        observe: (value: number, labels?: Labels<L>) => {
          for (const h of all) h.observe(value, labels);
        },
      };
    },
  };
}
