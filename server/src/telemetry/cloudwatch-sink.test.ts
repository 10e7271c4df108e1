import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { CloudWatchSink, type CloudWatchSinkOptions } from './cloudwatch-sink.js';
import type { MetricDatum } from './datum.js';
import { awsError, FakeAwsEndpoint, fakeClientConfig } from './test-support/fake-aws-endpoint.js';
import type { DropReason } from './window-metrics.js';

const PUT = 'GraniteServiceVersion20100801.PutMetricData';

function gauges(n: number, dimensions: Record<string, string> = { service: 's' }): MetricDatum[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `stagecraft_g${i}`,
    unit: 'None',
    dimensions,
    timestampMs: 1_800_000_000_000,
    value: i,
  }));
}

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

type Wire = { MetricName: string; Value?: number; Values?: number[]; Counts?: number[]; Dimensions: unknown[] };
const datumsOf = (e: FakeAwsEndpoint) => e.requests.flatMap((r) => r.body.MetricData as Wire[]);

describe('CloudWatchSink against a stand-in CloudWatch endpoint on loopback', () => {
  let endpoint: FakeAwsEndpoint;
  let drops: [DropReason, number][];
  const sink = (options: Partial<CloudWatchSinkOptions> = {}) =>
    new CloudWatchSink({
      client: new CloudWatchClient(fakeClientConfig(endpoint)),
      namespace: 'Stagecraft',
      onDrop: (r, n) => drops.push([r, n]),
      ...options,
    });

  beforeEach(async () => {
    endpoint = await FakeAwsEndpoint.start();
    drops = [];
  });
  afterEach(() => endpoint.close());

  it('sends PutMetricData in the JSON protocol, at most 1,000 datums a request, each datum once', async () => {
    const s = sink();
    const histogram: MetricDatum = {
      name: 'stagecraft_tts_first_chunk_ms',
      unit: 'Milliseconds',
      dimensions: { service: 's' },
      timestampMs: 1_800_000_000_000,
      values: [5, 12.5, 40],
      counts: [10, 3, 1],
    };
    await s.publish([...gauges(2499), histogram]);
    await s.drain();
    expect(endpoint.requests.map((r) => [r.target, r.contentType])).toEqual(
      Array.from({ length: 3 }, () => [PUT, 'application/x-amz-json-1.0']),
    );
    expect(endpoint.requests.map((r) => (r.body.MetricData as unknown[]).length)).toEqual([1000, 1000, 500]);
    expect(endpoint.requests.every((r) => r.body.Namespace === 'Stagecraft')).toBe(true);
    const sent = datumsOf(endpoint);
    expect(new Set(sent.map((d) => d.MetricName)).size).toBe(2500);
    expect(sent.find((d) => d.MetricName === 'stagecraft_tts_first_chunk_ms')).toMatchObject({
      Values: [5, 12.5, 40],
      Counts: [10, 3, 1],
      Unit: 'Milliseconds',
      Timestamp: 1_800_000_000,
      Dimensions: [{ Name: 'service', Value: 's' }],
    });
    expect(drops).toEqual([]);
  });

  it('keeps each request body within 1 MB', async () => {
    const big = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`d${i}`, 'x'.repeat(1000)]));
    const s = sink();
    await s.publish(gauges(120, big));
    await s.drain();
    expect(endpoint.requests.length).toBeGreaterThanOrEqual(4);
    for (const r of endpoint.requests) expect(r.bodyBytes).toBeLessThanOrEqual(1_000_000);
    expect(datumsOf(endpoint)).toHaveLength(120);
  });

  it('backs off after Throttling with growing, jittered waits and then delivers everything', async () => {
    let throttled = 0;
    endpoint.answerWith(() => (throttled++ < 2 ? awsError('Throttling', 'Rate exceeded') : { body: {} }));
    const jitter: number[] = [];
    const s = sink({
      backoffMs: 100,
      random: () => {
        jitter.push(1);
        return 1;
      },
    });
    await s.publish(gauges(10));
    await until(() => endpoint.requests.length === 3, 'the third request');
    await s.drain();
    const [a, b, c] = endpoint.requests.map((r) => r.receivedAt) as [number, number, number];
    expect(b - a).toBeGreaterThanOrEqual(95);
    expect(c - b).toBeGreaterThanOrEqual(195);
    expect(jitter).toHaveLength(2);
    expect(endpoint.requests.map((r) => (r.body.MetricData as unknown[]).length)).toEqual([10, 10, 10]);
    expect(s.buffered).toBe(0);
    expect(drops).toEqual([]);
  });

  it('waits a random share of the back-off, never more than it', async () => {
    endpoint.answerWith(() => awsError('Throttling', 'Rate exceeded'));
    let now = 10_000;
    const s = sink({ backoffMs: 1000, random: () => 0.25, now: () => now });
    await s.publish(gauges(1));
    await until(() => s.backingOffUntil > 0, 'a back-off');
    expect(s.backingOffUntil).toBe(10_250);
    now = 10_100;
    await s.publish(gauges(1));
    expect(endpoint.requests).toHaveLength(1);
    await s.close(0);
  });

  it('bounds its buffer while CloudWatch throttles, dropping the oldest and counting them', async () => {
    endpoint.answerWith(() => awsError('Throttling', 'Rate exceeded'));
    const s = sink({ maxBuffered: 100, backoffMs: 60_000 });
    await s.publish(gauges(100));
    await s.publish(gauges(100));
    await s.publish(gauges(50));
    await s.drain();
    expect(s.buffered).toBe(100);
    const dropped = drops.filter(([r]) => r === 'buffer_full').reduce((n, [, c]) => n + c, 0);
    expect(dropped).toBe(150);
    expect(endpoint.requests).toHaveLength(1);
  });

  it('drops and counts a batch CloudWatch rejects as invalid, without retrying it', async () => {
    endpoint.answerWith(() => awsError('InvalidParameterValue', 'The value NaN is not valid'));
    const s = sink();
    await s.publish(gauges(7));
    await s.drain();
    expect(drops).toEqual([['rejected', 7]]);
    expect(s.buffered).toBe(0);
    expect(endpoint.requests).toHaveLength(1);
  });

  it('does not hold the event loop or the caller while the endpoint is slow, and sends one request at a time', async () => {
    let answered = false;
    endpoint.answerWith(() => ({ body: {}, delayMs: 1500 }));
    const s = sink();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    await s.publish(gauges(3));
    expect(answered).toBe(false);
    await s.publish(gauges(4));
    const drained = s.drain().then(() => {
      answered = true;
    });
    await new Promise((r) => setTimeout(r, 1000));
    expect(answered).toBe(false);
    expect(endpoint.requests).toHaveLength(1);
    expect(ticks).toBeGreaterThan(20);
    await drained;
    clearInterval(timer);
    expect(endpoint.requests.map((r) => (r.body.MetricData as unknown[]).length)).toEqual([3, 4]);
  });
});
