import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { MetricDatum } from './datum.js';
import { PrometheusMetrics } from './prometheus-metrics.js';
import { teeMetrics } from './tee-metrics.js';
import { type DropReason, round3, WindowMetrics } from './window-metrics.js';

const byName = (datums: MetricDatum[], name: string) => datums.filter((d) => d.name === name);

/** The value at quantile q of observations given as distinct values and counts, as CloudWatch computes it. */
function quantile(values: number[], counts: number[], q: number): number {
  const total = counts.reduce((a, b) => a + b, 0);
  let seen = 0;
  for (const [i, v] of values.entries()) {
    seen += counts[i] ?? 0;
    if (seen >= q * total) return v;
  }
  return values[values.length - 1] ?? Number.NaN;
}

describe('WindowMetrics', () => {
  it('gives a counter its increase per window, 0 once it is quiet, with the process dimensions and its labels', () => {
    const w = new WindowMetrics({ dimensions: { service: 'scene-server' } });
    const c = w.counter<'reason'>({ name: 'stagecraft_performances_total', help: 'h', labels: ['reason'] });
    c.inc({ reason: 'completed' });
    c.inc({ reason: 'completed' }, 2);
    c.inc({ reason: 'stopped' });
    const first = w.take(1000);
    expect(first).toEqual([
      {
        name: 'stagecraft_performances_total',
        unit: 'Count',
        dimensions: { service: 'scene-server', reason: 'completed' },
        timestampMs: 1000,
        value: 3,
      },
      {
        name: 'stagecraft_performances_total',
        unit: 'Count',
        dimensions: { service: 'scene-server', reason: 'stopped' },
        timestampMs: 1000,
        value: 1,
      },
    ]);
    expect(w.take(2000).map((d) => d.value)).toEqual([0, 0]);
  });

  it('reads sampled gauges when the window closes and keeps set gauges at their last value', () => {
    const w = new WindowMetrics();
    let live = 2;
    w.gauge({ name: 'stagecraft_scenes_live', help: 'h', sample: () => live });
    const depth = w.gauge({ name: 'stagecraft_dialogue_queue_depth', help: 'h' });
    depth.set(4);
    expect(w.take().map((d) => [d.name, d.unit, d.value])).toEqual([
      ['stagecraft_scenes_live', 'None', 2],
      ['stagecraft_dialogue_queue_depth', 'None', 4],
    ]);
    live = 5;
    expect(w.take().map((d) => d.value)).toEqual([5, 4]);
  });

  it('gives a histogram its observations as distinct values with counts, and nothing for a quiet window', () => {
    const w = new WindowMetrics();
    const h = w.histogram({ name: 'stagecraft_tts_first_chunk_ms', help: 'h', buckets: [10, 100] });
    for (const v of [12.3456, 12.3449, 7, 7, 7, 250]) h.observe(v);
    const [d] = w.take();
    expect(d).toMatchObject({ unit: 'Milliseconds', values: [7, 12.3, 250], counts: [3, 2, 1] });
    expect(w.take()).toEqual([]);
  });

  it('splits more than 150 distinct values over several datums that together hold every observation', () => {
    const w = new WindowMetrics();
    const h = w.histogram({ name: 'stagecraft_x_ms', help: 'h', buckets: [1] });
    for (let i = 1; i <= 400; i++) h.observe(i);
    h.observe(1);
    const datums = byName(w.take(), 'stagecraft_x_ms');
    expect(datums.map((d) => d.values?.length)).toEqual([150, 150, 100]);
    expect(datums.flatMap((d) => d.counts ?? []).reduce((a, b) => a + b, 0)).toBe(401);
    expect(datums[0]?.counts?.[0]).toBe(2);
  });

  it('drops NaN and infinities, counting each, and publishes the rest', () => {
    const drops: [DropReason, number][] = [];
    const w = new WindowMetrics({ onDrop: (r, n) => drops.push([r, n]) });
    const h = w.histogram({ name: 'stagecraft_y_ms', help: 'h', buckets: [1] });
    const g = w.gauge({ name: 'stagecraft_g', help: 'h' });
    const c = w.counter({ name: 'stagecraft_c_total', help: 'h' });
    h.observe(Number.NaN);
    h.observe(Number.POSITIVE_INFINITY);
    h.observe(3);
    g.set(Number.NEGATIVE_INFINITY);
    c.inc(undefined, Number.NaN);
    w.gauge({ name: 'stagecraft_s', help: 'h', sample: () => Number.NaN });
    const out = w.take();
    expect(drops).toEqual(Array.from({ length: 5 }, () => ['not_finite', 1]));
    expect(out.find((d) => d.name === 'stagecraft_y_ms')).toMatchObject({ values: [3], counts: [1] });
    expect(out.some((d) => d.name === 'stagecraft_s')).toBe(false);
    for (const d of out) for (const v of [d.value ?? 0, ...(d.values ?? [])]) expect(Number.isFinite(v)).toBe(true);
  });

  it('keeps p50, p95 and p99 within 0.5 % of the exact ones', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 100_000, noNaN: true }), { minLength: 1, maxLength: 2000 }),
        (samples) => {
          const w = new WindowMetrics();
          const h = w.histogram({ name: 'stagecraft_p_ms', help: 'h', buckets: [1] });
          for (const s of samples) h.observe(s);
          const values: number[] = [];
          const counts: number[] = [];
          for (const d of w.take()) {
            values.push(...(d.values ?? []));
            counts.push(...(d.counts ?? []));
          }
          const sorted = [...samples].sort((a, b) => a - b);
          for (const q of [0.5, 0.95, 0.99]) {
            const exact = sorted[Math.ceil(q * sorted.length) - 1] as number;
            expect(Math.abs(quantile(values, counts, q) - exact)).toBeLessThanOrEqual(exact * 0.005 + 1e-9);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a metric that would pass CloudWatch’s 30 dimensions, and one name used for two kinds', () => {
    const dimensions = Object.fromEntries(Array.from({ length: 28 }, (_, i) => [`d${i}`, 'x']));
    const w = new WindowMetrics({ dimensions });
    expect(() => w.counter({ name: 'stagecraft_z_total', help: 'h', labels: ['a', 'b', 'c'] })).toThrow(
      /stagecraft_z_total would have 31 dimensions/,
    );
    const named = new WindowMetrics({ dimensions: { ServiceName: 'scene-server' } });
    expect(() => named.counter({ name: 'stagecraft_q_total', help: 'h', labels: ['ServiceName'] })).toThrow(
      /label ServiceName, which is also one of the process's dimensions/,
    );
    w.counter({ name: 'stagecraft_k_total', help: 'h' });
    expect(() => w.gauge({ name: 'stagecraft_k_total', help: 'h' })).toThrow(/is a counter, not a gauge/);
  });

  it('lists what it publishes, and a tee records into Prometheus text as well', async () => {
    const prometheus = new PrometheusMetrics();
    const w = new WindowMetrics();
    const m = teeMetrics(prometheus, w);
    m.counter<'kind'>({ name: 'stagecraft_transport_errors_total', help: 'errors', labels: ['kind'] }).inc({
      kind: 'decode',
    });
    m.histogram({ name: 'stagecraft_tts_stop_ms', help: 'stop', buckets: [1, 10] }).observe(4);
    expect(w.published()).toEqual([
      { name: 'stagecraft_transport_errors_total', kind: 'counter', unit: 'Count', help: 'errors', labels: ['kind'] },
      { name: 'stagecraft_tts_stop_ms', kind: 'histogram', unit: 'Milliseconds', help: 'stop', labels: [] },
    ]);
    expect(await prometheus.read('stagecraft_transport_errors_total', { kind: 'decode' })).toBe(1);
    expect(await prometheus.read('stagecraft_tts_stop_ms_count')).toBe(1);
    expect(w.take().find((d) => d.name === 'stagecraft_transport_errors_total')?.value).toBe(1);
  });

  it('rounds observations to three significant figures exactly as toPrecision does', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
        expect(round3(v)).toBe(Number(v.toPrecision(3)));
      }),
      { numRuns: 5000 },
    );
    expect([round3(0.0012345), round3(987.6), round3(-42.19), round3(123456)]).toEqual([0.00123, 988, -42.2, 123000]);
  });

  it('keys a series by its own labels in their order: left out and empty are one series', () => {
    const w = new WindowMetrics({ dimensions: { ServiceName: 's' } });
    const c = w.counter<'a' | 'b'>({ name: 'stagecraft_k_total', help: 'h', labels: ['a', 'b'] });
    c.inc({ a: 'x' });
    c.inc({ a: 'x', b: '' });
    c.inc({ b: 'y', a: 'x' });
    c.inc({ b: 'x' });
    expect(w.take().map((d) => [d.dimensions, d.value])).toEqual([
      [{ ServiceName: 's', a: 'x' }, 2],
      [{ ServiceName: 's', a: 'x', b: 'y' }, 1],
      [{ ServiceName: 's', b: 'x' }, 1],
    ]);
  });
});
