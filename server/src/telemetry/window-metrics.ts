import { CLOUDWATCH_LIMITS, type MetricDatum, unitOf } from './datum.js';
import type { Counter, Gauge, GaugeSpec, Histogram, HistogramSpec, Labels, MetricSpec, Metrics } from './metrics.js';

/** Why a value was not published; counted on `stagecraft_metrics_dropped_total{reason}`. */
export type DropReason = 'not_finite' | 'buffer_full' | 'rejected';

export type MetricKind = 'counter' | 'gauge' | 'histogram';

/** A metric the process publishes: what a dashboard or alarm may name. */
export interface PublishedMetric {
  name: string;
  kind: MetricKind;
  unit: MetricDatum['unit'];
  help: string;
  labels: readonly string[];
}

export interface WindowOptions {
  /** The process's own dimensions (e.g. `service`, `cluster`), put on every datum. */
  dimensions?: Record<string, string>;
  /** Told of each value dropped before it reached a window. */
  onDrop?: (reason: DropReason, count: number) => void;
}

interface Series {
  dimensions: Record<string, string>;
  /** Counter: increase since the last take. Gauge: last value set. */
  value: number;
  /** Histogram: observation counts by (rounded) value. */
  seen?: Map<number, number>;
}

interface Made {
  spec: PublishedMetric;
  series: Map<string, Series>;
  sample?: GaugeSpec<string>['sample'];
  metric: unknown;
}

/**
 * Metrics gathered over a window and taken as CloudWatch datums when it closes: a counter gives
 * its increase (0 for a series seen before, so alarms see quiet periods), a gauge its value, a
 * histogram its observations as distinct values with counts, which is what lets CloudWatch
 * compute p95 and p99 (statistic sets cannot). Observations are rounded to three significant
 * figures (at most 0.5 % off) so that a window holds a bounded number of distinct values; more
 * than 150 of them are split over several datums, which CloudWatch aggregates as one.
 * NaN and infinities are dropped and counted, never published.
 */
export class WindowMetrics implements Metrics {
  private readonly made = new Map<string, Made>();
  private readonly dimensions: Record<string, string>;
  private readonly onDrop: (reason: DropReason, count: number) => void;

  constructor(options: WindowOptions = {}) {
    this.dimensions = options.dimensions ?? {};
    this.onDrop = options.onDrop ?? (() => {});
  }

  counter<L extends string = never>(spec: MetricSpec<L>): Counter<L> {
    const m = this.once(spec, 'counter', (series) => ({
      inc: (labels?: Labels<L>, by = 1) => {
        if (!Number.isFinite(by)) return this.onDrop('not_finite', 1);
        series(labels).value += by;
      },
    }));
    return m as Counter<L>;
  }

  gauge<L extends string = never>(spec: GaugeSpec<L>): Gauge<L> {
    const m = this.once(
      spec,
      'gauge',
      (series) => ({
        set: (value: number, labels?: Labels<L>) => {
          if (!Number.isFinite(value)) return this.onDrop('not_finite', 1);
          series(labels).value = value;
        },
      }),
      spec.sample as GaugeSpec<string>['sample'],
    );
    return m as Gauge<L>;
  }

  histogram<L extends string = never>(spec: HistogramSpec<L>): Histogram<L> {
    const m = this.once(spec, 'histogram', (series) => ({
      observe: (value: number, labels?: Labels<L>) => {
        if (!Number.isFinite(value)) return this.onDrop('not_finite', 1);
        const s = series(labels);
        s.seen ??= new Map();
        const v = value === 0 ? 0 : Number(value.toPrecision(3));
        s.seen.set(v, (s.seen.get(v) ?? 0) + 1);
      },
    }));
    return m as Histogram<L>;
  }

  /** Every metric made so far, by name. */
  published(): PublishedMetric[] {
    return [...this.made.values()].map((m) => m.spec).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Closes the window: the datums for it, stamped `nowMs`, and a fresh window begins. */
  take(nowMs = Date.now()): MetricDatum[] {
    const out: MetricDatum[] = [];
    for (const m of this.made.values()) {
      const { name, unit, kind } = m.spec;
      if (m.sample) this.resample(m);
      for (const s of m.series.values()) {
        const base = { name, unit, dimensions: s.dimensions, timestampMs: nowMs };
        if (kind !== 'histogram') {
          out.push({ ...base, value: s.value });
          if (kind === 'counter') s.value = 0;
          continue;
        }
        if (!s.seen || s.seen.size === 0) continue;
        const values = [...s.seen.keys()].sort((a, b) => a - b);
        for (let i = 0; i < values.length; i += CLOUDWATCH_LIMITS.valuesPerDatum) {
          const chunk = values.slice(i, i + CLOUDWATCH_LIMITS.valuesPerDatum);
          const seen = s.seen;
          out.push({ ...base, values: chunk, counts: chunk.map((v) => seen.get(v) ?? 0) });
        }
        s.seen.clear();
      }
    }
    return out;
  }

  private resample(m: Made): void {
    const read = m.sample?.();
    if (read === undefined) return;
    const readings = typeof read === 'number' ? [{ labels: {}, value: read }] : read;
    m.series.clear();
    for (const r of readings) {
      if (!Number.isFinite(r.value)) {
        this.onDrop('not_finite', 1);
        continue;
      }
      const key = seriesKey(r.labels);
      m.series.set(key, { dimensions: { ...this.dimensions, ...definedLabels(r.labels) }, value: r.value });
    }
  }

  private once<L extends string>(
    spec: MetricSpec<L>,
    kind: MetricKind,
    make: (series: (labels?: Labels<L>) => Series) => unknown,
    sample?: GaugeSpec<string>['sample'],
  ): unknown {
    const found = this.made.get(spec.name);
    if (found) {
      if (found.spec.kind !== kind) throw new Error(`metric ${spec.name} is a ${found.spec.kind}, not a ${kind}`);
      return found.metric;
    }
    const labels = spec.labels ?? [];
    const clash = labels.find((l) => l in this.dimensions);
    if (clash)
      throw new Error(`metric ${spec.name} has a label ${clash}, which is also one of the process's dimensions`);
    const total = Object.keys(this.dimensions).length + labels.length;
    if (total > CLOUDWATCH_LIMITS.dimensions)
      throw new Error(`metric ${spec.name} would have ${total} dimensions; CloudWatch allows 30`);
    const series = new Map<string, Series>();
    const find = (l?: Labels<L>): Series => {
      const key = seriesKey(l);
      let s = series.get(key);
      if (!s) {
        s = { dimensions: { ...this.dimensions, ...definedLabels(l) }, value: 0 };
        series.set(key, s);
      }
      return s;
    };
    const made: Made = {
      spec: { name: spec.name, kind, unit: unitOf(spec.name), help: spec.help, labels },
      series,
      sample,
      metric: undefined,
    };
    made.metric = make(find);
    this.made.set(spec.name, made);
    return made.metric;
  }
}

function definedLabels(labels: Labels<string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels ?? {})) if (v !== undefined && v !== '') out[k] = String(v);
  return out;
}

function seriesKey(labels: Labels<string> | undefined): string {
  return JSON.stringify(Object.entries(definedLabels(labels)).sort(([a], [b]) => a.localeCompare(b)));
}
