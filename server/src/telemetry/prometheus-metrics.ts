import {
  collectDefaultMetrics,
  type Metric,
  Counter as PromCounter,
  Gauge as PromGauge,
  Histogram as PromHistogram,
  Registry,
} from 'prom-client';
import type { Counter, Gauge, GaugeSpec, Histogram, HistogramSpec, Labels, MetricSpec, Metrics } from './metrics.js';

type Kind = 'counter' | 'gauge' | 'histogram';

/** Metrics kept in a prom-client registry and read as Prometheus text (`GET /metrics`). */
export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly made = new Map<string, { kind: Kind; metric: unknown }>();

  /** `processMetrics`: also Node's own (CPU, memory, event-loop lag), as `stagecraft_process_*` etc. */
  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'stagecraft_' });
  }

  counter<L extends string = never>(spec: MetricSpec<L>): Counter<L> {
    return this.once(spec.name, 'counter', () => {
      const c = new PromCounter({ ...this.base(spec) });
      return { inc: (labels?: Labels<L>, by = 1) => c.inc(labels ?? {}, by) };
    });
  }

  gauge<L extends string = never>(spec: GaugeSpec<L>): Gauge<L> {
    return this.once(spec.name, 'gauge', () => {
      const sample = spec.sample;
      const g = new PromGauge({
        ...this.base(spec),
        ...(sample
          ? {
              collect() {
                const value = sample();
                if (typeof value === 'number') this.set(value);
                else {
                  this.reset();
                  for (const v of value) this.set(v.labels, v.value);
                }
              },
            }
          : {}),
      });
      return { set: (value: number, labels?: Labels<L>) => g.set(labels ?? {}, value) };
    });
  }

  histogram<L extends string = never>(spec: HistogramSpec<L>): Histogram<L> {
    return this.once(spec.name, 'histogram', () => {
      const h = new PromHistogram({ ...this.base(spec), buckets: [...spec.buckets] });
      return { observe: (value: number, labels?: Labels<L>) => h.observe(labels ?? {}, value) };
    });
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * The current value of a counter or gauge for one label set, or a histogram's observation count
   * (`name_count`); 0 when never recorded. For tests and diagnostics.
   */
  async read(name: string, labels: Record<string, string> = {}): Promise<number> {
    const base = name.replace(/_count$/, '');
    const metric = this.registry.getSingleMetric(base) as Metric | undefined;
    if (!metric) return 0;
    const { values } = await metric.get();
    const match = values.find(
      (v) =>
        ((v as { metricName?: string }).metricName ?? base) === name &&
        Object.entries(labels).every(([k, want]) => String((v.labels as Record<string, unknown>)[k]) === want),
    );
    return match?.value ?? 0;
  }

  private base<L extends string>(spec: MetricSpec<L>) {
    return { name: spec.name, help: spec.help, labelNames: [...(spec.labels ?? [])], registers: [this.registry] };
  }

  private once<T>(name: string, kind: Kind, make: () => T): T {
    const found = this.made.get(name);
    if (found) {
      if (found.kind !== kind) throw new Error(`metric ${name} is a ${found.kind}, not a ${kind}`);
      return found.metric as T;
    }
    const metric = make();
    this.made.set(name, { kind, metric });
    return metric;
  }
}
