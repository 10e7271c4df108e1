import { describe, expect, it } from '@jest/globals';
import type { MetricDatum } from './datum.js';
import { emfDocuments } from './emf.js';
import { emfProblems } from './test-support/emf-check.js';
import { WindowMetrics } from './window-metrics.js';

describe('emfDocuments', () => {
  it('writes documents that follow the EMF specification, one per dimension set', () => {
    const w = new WindowMetrics({ dimensions: { service: 'scene-server', cluster: 'eu-1' } });
    w.counter<'reason'>({ name: 'stagecraft_performances_total', help: 'h', labels: ['reason'] }).inc(
      { reason: 'completed' },
      4,
    );
    w.gauge({ name: 'stagecraft_scenes_live', help: 'h', sample: () => 3 });
    w.histogram({ name: 'stagecraft_tts_first_chunk_ms', help: 'h', buckets: [1] }).observe(12);
    const docs = emfDocuments(w.take(1_800_000_000_000), 'Stagecraft');
    for (const d of docs) expect(emfProblems(d)).toEqual([]);
    expect(docs).toEqual([
      {
        _aws: {
          Timestamp: 1_800_000_000_000,
          CloudWatchMetrics: [
            {
              Namespace: 'Stagecraft',
              Dimensions: [['service', 'cluster', 'reason']],
              Metrics: [{ Name: 'stagecraft_performances_total', Unit: 'Count' }],
            },
          ],
        },
        service: 'scene-server',
        cluster: 'eu-1',
        reason: 'completed',
        stagecraft_performances_total: 4,
      },
      {
        _aws: {
          Timestamp: 1_800_000_000_000,
          CloudWatchMetrics: [
            {
              Namespace: 'Stagecraft',
              Dimensions: [['service', 'cluster']],
              Metrics: [
                { Name: 'stagecraft_scenes_live', Unit: 'None' },
                { Name: 'stagecraft_tts_first_chunk_ms', Unit: 'Milliseconds' },
              ],
            },
          ],
        },
        service: 'scene-server',
        cluster: 'eu-1',
        stagecraft_scenes_live: 3,
        stagecraft_tts_first_chunk_ms: [12],
      },
    ]);
  });

  it('keeps within 100 metrics and 100 values a document, and every observation is in exactly one', () => {
    const w = new WindowMetrics({ dimensions: { service: 's' } });
    for (let i = 0; i < 250; i++) w.gauge({ name: `stagecraft_g${i}`, help: 'h' }).set(i);
    const h = w.histogram({ name: 'stagecraft_h_ms', help: 'h', buckets: [1] });
    for (let i = 0; i < 1000; i++) h.observe(i % 300);
    const datums = w.take(1);
    const docs = emfDocuments(datums, 'Stagecraft');
    for (const d of docs) expect(emfProblems(d)).toEqual([]);
    const observed = docs.flatMap((d) => (d.stagecraft_h_ms as number[] | undefined) ?? []);
    expect(observed).toHaveLength(1000);
    expect(observed.filter((v) => v === 7)).toHaveLength(4);
    const gauges = docs.flatMap((d) => Object.keys(d).filter((k) => /^stagecraft_g\d+$/.test(k)));
    expect(new Set(gauges).size).toBe(250);
    expect(gauges).toHaveLength(250);
  });

  it('finds a broken document: the checks above are not vacuous', () => {
    const datum: MetricDatum = { name: 'm', unit: 'Count', dimensions: { a: 'x' }, timestampMs: 5, value: 1 };
    const [doc] = emfDocuments([datum], 'Stagecraft') as [Record<string, unknown>];
    expect(emfProblems({ ...doc, a: 3 })).toEqual(['dimension a is not a string member']);
    expect(emfProblems({ ...doc, m: new Array(101).fill(1) })).toEqual([
      'metric m is not a number or an array of 1–100 numbers',
    ]);
    expect(emfProblems({ ...doc, _aws: { ...(doc._aws as object), Timestamp: 'now' } })).toContain(
      '/_aws/Timestamp must be integer',
    );
  });
});
