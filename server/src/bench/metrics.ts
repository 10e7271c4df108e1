import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchSink } from '../telemetry/cloudwatch-sink.js';
import type { MetricDatum } from '../telemetry/datum.js';
import { emfDocuments } from '../telemetry/emf.js';
import type { Histogram } from '../telemetry/metrics.js';
import { PrometheusMetrics } from '../telemetry/prometheus-metrics.js';
import { teeMetrics } from '../telemetry/tee-metrics.js';
import { WindowMetrics } from '../telemetry/window-metrics.js';

// What publishing metrics costs: one histogram observation with Prometheus text alone and with
// the CloudWatch window beside it, closing a one-minute window of many series, encoding that
// window as EMF lines, and sending it with PutMetricData through the real AWS SDK to a loopback
// endpoint that decodes each request. Prints a table; `--short` for CI (smaller, fewer repeats).
const short = process.argv.includes('--short');
const OBSERVATIONS = short ? 200_000 : 2_000_000;
const REPEATS = short ? 3 : 7;
/**
 * Scenes in the windows measured; each has a histogram, a counter and a gauge series. 50 is about
 * a server's own window (its metrics by their label values come to ~100–200 series); the larger
 * ones show how the cost grows with series.
 */
const WINDOW_SCENES = short ? [50, 500] : [50, 500, 5000];
const OBSERVATIONS_PER_SERIES = 40;
const DIMENSIONS = { ClusterName: 'bench', ServiceName: 'scene-silver' };
const BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const f = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

/** Latency-like values (ms): mostly small, a long tail. */
function samples(n: number): Float64Array {
  const out = new Float64Array(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const u = x / 2147483648;
    out[i] = 5 * Math.exp(3 * u * u);
  }
  return out;
}

/** Median ns per observation over REPEATS runs of OBSERVATIONS. */
function observeNs(h: Histogram<'tier'>, values: Float64Array, labels?: { tier: string }): number {
  const runs: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < OBSERVATIONS; i++) h.observe(values[i % values.length] as number, labels);
    runs.push(Number(process.hrtime.bigint() - t0) / OBSERVATIONS);
  }
  return median(runs);
}

function observations() {
  const values = samples(65_536);
  const prom = new PrometheusMetrics();
  const promOnly = prom.histogram<'tier'>({ name: 'b_ms', help: 'b', labels: ['tier'], buckets: BUCKETS });
  const both = teeMetrics(new PrometheusMetrics(), new WindowMetrics({ dimensions: DIMENSIONS }));
  const tee = both.histogram<'tier'>({ name: 'b_ms', help: 'b', labels: ['tier'], buckets: BUCKETS });
  const windowOnly = new WindowMetrics({ dimensions: DIMENSIONS }).histogram<'tier'>({
    name: 'b_ms',
    help: 'b',
    labels: ['tier'],
    buckets: BUCKETS,
  });
  const windowNoLabel = new WindowMetrics({ dimensions: DIMENSIONS }).histogram({
    name: 'c_ms',
    help: 'c',
    buckets: BUCKETS,
  });
  const tier = { tier: 'gold' };
  return [
    { what: 'histogram observation, CloudWatch window only, no label', ns: observeNs(windowNoLabel, values) },
    { what: 'histogram observation, Prometheus only, no label', ns: observeNs(promOnly, values) },
    { what: 'histogram observation, Prometheus only, one label', ns: observeNs(promOnly, values, tier) },
    { what: 'histogram observation, CloudWatch window only, one label', ns: observeNs(windowOnly, values, tier) },
    { what: 'histogram observation, Prometheus + CloudWatch window, one label', ns: observeNs(tee, values, tier) },
  ];
}

/** A window as a busy process fills it in a minute: per scene a histogram, a counter, a gauge. */
function fullWindow(scenes: number): WindowMetrics {
  const w = new WindowMetrics({ dimensions: DIMENSIONS });
  const h = w.histogram<'scene'>({ name: 'stagecraft_verdict_ms', help: 'v', labels: ['scene'], buckets: BUCKETS });
  const c = w.counter<'scene'>({ name: 'stagecraft_media_bytes_total', help: 'b', labels: ['scene'] });
  const g = w.gauge<'scene'>({ name: 'stagecraft_scene_clients', help: 'c', labels: ['scene'] });
  const values = samples(scenes * OBSERVATIONS_PER_SERIES);
  for (let s = 0; s < scenes; s++) {
    const scene = { scene: `scene-${s}` };
    for (let i = 0; i < OBSERVATIONS_PER_SERIES; i++)
      h.observe(values[s * OBSERVATIONS_PER_SERIES + i] as number, scene);
    c.inc(scene, 4096);
    g.set(s % 9, scene);
  }
  return w;
}

function closeAndEncode(scenes: number) {
  const closeMs: number[] = [];
  const emfMs: number[] = [];
  let datums: MetricDatum[] = [];
  let emfBytes = 0;
  let emfLines = 0;
  for (let r = 0; r < REPEATS; r++) {
    const w = fullWindow(scenes);
    const t0 = performance.now();
    datums = w.take(1_800_000_000_000);
    closeMs.push(performance.now() - t0);
    const t1 = performance.now();
    const lines = emfDocuments(datums, 'Stagecraft').map((d) => `${JSON.stringify(d)}\n`);
    emfMs.push(performance.now() - t1);
    emfLines = lines.length;
    emfBytes = lines.reduce((n, l) => n + Buffer.byteLength(l), 0);
  }
  return { series: scenes * 3, datums, closeMs: median(closeMs), emfMs: median(emfMs), emfBytes, emfLines };
}

/** A loopback stand-in for CloudWatch that decodes each PutMetricData (gzip, JSON) and answers `{}`. */
async function loopbackCloudWatch() {
  let requests = 0;
  let datums = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const wire = Buffer.concat(chunks);
      const body = JSON.parse(
        (req.headers['content-encoding'] === 'gzip' ? gunzipSync(wire) : wire).toString('utf8'),
      ) as { MetricData: unknown[] };
      requests++;
      datums += body.MetricData.length;
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts: () => ({ requests, datums }),
    close: () => new Promise((r) => server.close(r)),
  };
}

async function send(datums: MetricDatum[]) {
  const endpoint = await loopbackCloudWatch();
  const client = new CloudWatchClient({
    region: 'us-east-1',
    endpoint: endpoint.url,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    maxAttempts: 1,
  });
  const sink = new CloudWatchSink({ client, namespace: 'Stagecraft', maxBuffered: datums.length });
  // One warm-up window: the SDK loads and signs its first request lazily.
  await sink.publish(datums.slice(0, 10));
  await sink.drain();
  const before = endpoint.counts();
  const runs: number[] = [];
  // How long the SDK's work (serialising, compressing, signing) holds the event loop at a stretch.
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    await sink.publish(datums);
    await sink.drain();
    runs.push(performance.now() - t0);
  }
  delay.disable();
  const after = endpoint.counts();
  client.destroy();
  await endpoint.close();
  const requests = (after.requests - before.requests) / REPEATS;
  return {
    windowMs: median(runs),
    requests,
    datums: (after.datums - before.datums) / REPEATS,
    loopMaxMs: delay.max / 1e6,
  };
}

async function main() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `\n# bench:metrics${short ? ' (short)' : ''}: ${cpu}, ${os.cpus().length} cores, node ${process.version}\n`,
  );
  const obs = observations();
  const windows = [];
  for (const scenes of WINDOW_SCENES) {
    const w = closeAndEncode(scenes);
    windows.push({ w, sent: await send(w.datums) });
  }
  console.log('| what | size | median |');
  console.log('| --- | --- | --- |');
  for (const o of obs) console.log(`| ${o.what} | ${f(OBSERVATIONS)} observations | ${f(o.ns)} ns each |`);
  for (const { w, sent } of windows) {
    const size = `${f(w.series)} series`;
    console.log(`| close a one-minute window (take) | ${size}, ${f(w.datums.length)} datums | ${f(w.closeMs)} ms |`);
    console.log(
      `| EMF encoding of that window | ${size}: ${f(w.emfLines)} lines, ${f(w.emfBytes / 1e3)} kB | ${f(w.emfMs)} ms |`,
    );
    console.log(
      `| PutMetricData of that window, real SDK to loopback | ${size}: ${f(sent.requests)} request${sent.requests === 1 ? '' : 's'} | ${f(sent.windowMs)} ms (${f(sent.windowMs / sent.requests)} ms a request) |`,
    );
    console.log(`| longest event-loop stall while sending it | ${size} | ${f(sent.loopMaxMs)} ms |`);
  }
  console.log(
    `\n${REPEATS} runs each; histogram windows hold ${OBSERVATIONS_PER_SERIES} observations per series, rounded to 3 significant figures.`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
