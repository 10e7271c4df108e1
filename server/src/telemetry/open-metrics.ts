import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Logger } from 'pino';
import type { MetricsConfig } from '../config/config.js';
import { EmfSink } from './emf-sink.js';
import type { Metrics } from './metrics.js';
import type { MetricsSink } from './metrics-sink.js';
import { PrometheusMetrics } from './prometheus-metrics.js';
import { teeMetrics } from './tee-metrics.js';
import { type DropReason, WindowMetrics } from './window-metrics.js';

export interface ProcessMetrics {
  /** What features record through: Prometheus, and the publishing window when a sink is set. */
  metrics: Metrics;
  /** Read by `GET /metrics`. */
  prometheus: PrometheusMetrics;
  /** The window a sink publishes from; undefined with `sink: none`. */
  window: WindowMetrics | undefined;
  /** Publishes the current window now (also done every `flushMs`). */
  flush(): Promise<void>;
  /** Publishes the last window and stops, waiting at most `timeoutMs` for the sink. */
  close(timeoutMs?: number): Promise<void>;
}

export interface OpenMetricsOptions {
  logger?: Logger;
  /** Stream for EMF lines instead of stdout or the configured file, for tests. */
  emfOut?: Writable;
  /** CloudWatch client instead of one from the AWS SDK's own settings, for tests. */
  cloudWatch?: CloudWatchClient;
  /** Also Node's own metrics on /metrics. */
  processMetrics?: boolean;
}

/** Opens the process's metrics: Prometheus text always, and the configured sink. */
export async function openMetrics(config: MetricsConfig, options: OpenMetricsOptions = {}): Promise<ProcessMetrics> {
  const prometheus = new PrometheusMetrics({ processMetrics: options.processMetrics });
  if (config.sink === 'none') {
    return { metrics: prometheus, prometheus, window: undefined, flush: async () => {}, close: async () => {} };
  }
  let onDrop = (_reason: DropReason, _count: number) => {};
  const window = new WindowMetrics({ dimensions: config.dimensions, onDrop: (r, n) => onDrop(r, n) });
  const metrics = teeMetrics(prometheus, window);
  const dropped = metrics.counter<'reason'>({
    name: 'stagecraft_metrics_dropped_total',
    help: 'Metric values not published, by reason: not_finite, buffer_full, rejected',
    labels: ['reason'],
  });
  onDrop = (reason, count) => dropped.inc({ reason }, count);
  const sink = await openSink(config, options, (reason, count) => onDrop(reason, count));

  const flush = () => sink.publish(window.take());
  const timer = setInterval(() => void flush(), config.flushMs);
  timer.unref();
  let closed: Promise<void> | undefined;
  return {
    metrics,
    prometheus,
    window,
    flush,
    close: (timeoutMs = 5000) => {
      closed ??= (async () => {
        clearInterval(timer);
        await flush();
        await sink.close(timeoutMs);
      })();
      return closed;
    },
  };
}

async function openSink(
  config: MetricsConfig,
  options: OpenMetricsOptions,
  onDrop: (reason: DropReason, count: number) => void,
): Promise<MetricsSink> {
  if (config.sink === 'emf') {
    let out = options.emfOut ?? process.stdout;
    if (!options.emfOut && config.emfFile) {
      await mkdir(path.dirname(config.emfFile), { recursive: true });
      out = createWriteStream(config.emfFile, { flags: 'a' });
    }
    return new EmfSink(out, config.namespace);
  }
  // Loaded only when used: the AWS SDK is a few MB of modules an embedded server never needs.
  const [{ CloudWatchClient }, { CloudWatchSink }] = await Promise.all([
    import('@aws-sdk/client-cloudwatch'),
    import('./cloudwatch-sink.js'),
  ]);
  // Region, credentials and endpoint come from the SDK's own settings (AWS_REGION, the task
  // role, AWS_ENDPOINT_URL_CLOUDWATCH). Retries are the sink's, so the SDK makes one attempt.
  const client = options.cloudWatch ?? new CloudWatchClient({ maxAttempts: 1 });
  return new CloudWatchSink({ client, namespace: config.namespace, logger: options.logger, onDrop });
}
