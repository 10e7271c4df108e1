import { describe, expect, it } from '@jest/globals';
import { dialogueMetrics } from '../../engines/dialogue/dialogue-metrics.js';
import { PrometheusMetrics } from '../../telemetry/prometheus-metrics.js';
import { parseMetricsText, sumWork, workByTier } from './read-work.js';

describe('reading work from /metrics text', () => {
  it('reads the tier gauges prom-client writes, and sums tiers over servers', async () => {
    const metrics = new PrometheusMetrics({ processMetrics: true });
    const d = dialogueMetrics(metrics);
    d.queueDepth.set(7, { tier: 'gold' });
    d.inFlight.set(2, { tier: 'gold' });
    d.inFlight.set(1, { tier: 'silver' });
    d.firstTokenMs.observe(120, { tier: 'gold' });
    metrics.gauge<'tier'>({ name: 'stagecraft_tts_in_flight', help: 'x', labels: ['tier'] }).set(3, { tier: 'bronze' });
    const work = workByTier(parseMetricsText(await metrics.text(), 'server-a'));
    expect(work).toEqual({
      gold: { waiting: 7, inFlight: 2 },
      silver: { waiting: 0, inFlight: 1 },
      bronze: { waiting: 0, inFlight: 3 },
    });
    expect(sumWork([work, { gold: { waiting: 1, inFlight: 1 } }], ['gold', 'bronze'])).toEqual({
      waiting: 8,
      inFlight: 6,
    });
  });

  it('keeps escaped label values and special numbers', () => {
    const samples = parseMetricsText(
      ['# HELP x y', 'a{q="say \\"hi\\"\\n",tier="gold"} 1.5e3 1700000000000', 'b{} +Inf', 'c NaN', ''].join('\n'),
      'here',
    );
    expect(samples).toEqual([
      { name: 'a', labels: { q: 'say "hi"\n', tier: 'gold' }, value: 1500 },
      { name: 'b', labels: {}, value: Infinity },
      { name: 'c', labels: {}, value: Number.NaN },
    ]);
  });

  it('names the source and line of a malformed sample', () => {
    expect(() => parseMetricsText('ok 1\n\nstagecraft_x{tier=gold} 1', 'http://h/metrics')).toThrow(
      'http://h/metrics:3: bad label: "stagecraft_x{tier=gold} 1"',
    );
    expect(() => parseMetricsText('ok one', 'f')).toThrow('f:1: bad value: "ok one"');
    expect(() => parseMetricsText('{x="1"} 1', 'f')).toThrow('f:1: not a sample line');
  });
});
