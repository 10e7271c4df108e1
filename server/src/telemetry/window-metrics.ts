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
  /** A series' key and dimensions from label values (only the metric's own labels count). */
  key(labels: Labels<string> | undefined): string;
  dimensionsOf(labels: Labels<string> | undefined): Record<string, string>;
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
        const v = round3(value);
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
        if (kind !== 'histogram') {
          out.push({ name, unit, dimensions: s.dimensions, timestampMs: nowMs, value: s.value });
          if (kind === 'counter') s.value = 0;
          continue;
        }
        const seen = s.seen;
        if (!seen || seen.size === 0) continue;
        const values = Array.from(Float64Array.from(seen.keys()).sort());
        for (let i = 0; i < values.length; i += CLOUDWATCH_LIMITS.valuesPerDatum) {
          const chunk =
            values.length <= CLOUDWATCH_LIMITS.valuesPerDatum
              ? values
              : values.slice(i, i + CLOUDWATCH_LIMITS.valuesPerDatum);
          const counts = chunk.map((v) => seen.get(v) ?? 0);
          out.push({ name, unit, dimensions: s.dimensions, timestampMs: nowMs, values: chunk, counts });
        }
        seen.clear();
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
      m.series.set(m.key(r.labels), { dimensions: m.dimensionsOf(r.labels), value: r.value });
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
    const key = seriesKeyer(labels);
    const dimensionsOf = (l: Labels<string> | undefined): Record<string, string> => {
      const d = { ...this.dimensions };
      for (const name of labels) {
        const v = l?.[name];
        if (v !== undefined && v !== '') d[name] = String(v);
      }
      return d;
    };
    const find = (l?: Labels<L>): Series => {
      const k = key(l);
      let s = series.get(k);
      if (!s) {
        s = { dimensions: dimensionsOf(l), value: 0 };
        series.set(k, s);
      }
      return s;
    };
    const made: Made = {
      spec: { name: spec.name, kind, unit: unitOf(spec.name), help: spec.help, labels },
      series,
      key,
      dimensionsOf,
      sample,
      metric: undefined,
    };
    made.metric = make(find);
    this.made.set(spec.name, made);
    return made.metric;
  }
}

/**
 * Keys series by their label values in the metric's own label order; a label left out and one
 * given as '' are the same series. Made once per metric, so an observation builds no object
 * and sorts nothing (bench:metrics times an observation).
 */
function seriesKeyer(names: readonly string[]): (labels: Labels<string> | undefined) => string {
  if (names.length === 0) return () => '';
  return (labels) => {
    let k = '';
    for (const name of names) k += `${labels?.[name] ?? ''}\u0000`;
    return k;
  };
}

/** `v` rounded to three significant figures, as `Number(v.toPrecision(3))` gives it, without a string between. */
export function round3(v: number): number {
  if (v === 0) return 0;
  if (!Number.isFinite(v)) return v;
  const a = Math.abs(v);
  const e = Math.floor(Math.log10(a)) - 2;
  // Powers of ten are exact doubles only up to 1e22; beyond, the string way.
  if (e > 22 || e < -22) return Number(v.toPrecision(3));
  const r = e >= 0 ? Math.round(a / 10 ** e) * 10 ** e : Math.round(a * 10 ** -e) / 10 ** -e;
  return v < 0 ? -r : r;
}
