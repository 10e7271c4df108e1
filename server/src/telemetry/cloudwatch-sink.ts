import { type CloudWatchClient, PutMetricDataCommand, type MetricDatum as WireDatum } from '@aws-sdk/client-cloudwatch';
import type { Logger } from 'pino';
import type { MetricDatum } from './datum.js';
import type { MetricsSink } from './metrics-sink.js';
import { firstBatchLength, wireDatum } from './put-metric-batches.js';
import type { DropReason } from './window-metrics.js';

export interface CloudWatchSinkOptions {
  client: CloudWatchClient;
  namespace: string;
  logger?: Logger;
  /** Datums held while CloudWatch is slow, throttling or down; the oldest go first beyond it. */
  maxBuffered?: number;
  /** First back-off after a throttled or failed request, ms; doubles up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  onDrop?: (reason: DropReason, count: number) => void;
  /** Narrower request limits, for tests. */
  limits?: { datums?: number; bytes?: number };
  now?: () => number;
  random?: () => number;
}

/**
 * Sends windows to CloudWatch with PutMetricData, one request at a time, in the background: a
 * publish only buffers and starts sending, so a slow endpoint never holds a room. Throttling,
 * server errors and network failures keep the batch and back off (exponential, full jitter);
 * a request CloudWatch rejects as invalid is dropped and counted. The SDK's own retries are
 * left off (`maxAttempts: 1` on the client) so that back-off and the buffer bound are this
 * sink's alone.
 */
export class CloudWatchSink implements MetricsSink {
  private buffer: WireDatum[] = [];
  private sending: Promise<void> | undefined;
  private failures = 0;
  private retryAt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly maxBuffered: number;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly onDrop: (reason: DropReason, count: number) => void;

  constructor(private readonly options: CloudWatchSinkOptions) {
    this.maxBuffered = options.maxBuffered ?? 20_000;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.onDrop = options.onDrop ?? (() => {});
  }

  /** Datums waiting to be sent. */
  get buffered(): number {
    return this.buffer.length;
  }

  /** When the next request may go, after a failure; 0 when not backing off. */
  get backingOffUntil(): number {
    return this.retryAt;
  }

  publish(datums: MetricDatum[]): Promise<void> {
    this.buffer.push(...datums.map(wireDatum));
    const over = this.buffer.length - this.maxBuffered;
    if (over > 0) {
      this.buffer.splice(0, over);
      this.onDrop('buffer_full', over);
    }
    this.kick();
    return Promise.resolve();
  }

  /** Resolves when the buffer is empty or sending stops for a back-off. */
  async drain(): Promise<void> {
    while (this.sending) await this.sending;
  }

  async close(timeoutMs: number): Promise<void> {
    clearTimeout(this.retryTimer);
    this.retryAt = 0;
    this.kick();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.drain(), new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
  }

  private kick(): void {
    if (this.sending || this.buffer.length === 0 || this.now() < this.retryAt) return;
    this.sending = this.sendAll().finally(() => {
      this.sending = undefined;
    });
  }

  private async sendAll(): Promise<void> {
    while (this.buffer.length > 0 && this.now() >= this.retryAt) {
      const batch = this.buffer.splice(0, firstBatchLength(this.buffer, this.options.limits));
      if (batch.length === 0) return;
      try {
        await this.options.client.send(
          new PutMetricDataCommand({ Namespace: this.options.namespace, MetricData: batch }),
        );
        this.failures = 0;
        this.retryAt = 0;
      } catch (e) {
        if (isRetryable(e)) {
          this.buffer.unshift(...batch);
          const over = this.buffer.length - this.maxBuffered;
          if (over > 0) {
            this.buffer.splice(0, over);
            this.onDrop('buffer_full', over);
          }
          this.failures++;
          const cap = Math.min(
            this.options.maxBackoffMs ?? 60_000,
            (this.options.backoffMs ?? 1000) * 2 ** (this.failures - 1),
          );
          const waitMs = this.random() * cap;
          this.retryAt = this.now() + waitMs;
          clearTimeout(this.retryTimer);
          this.retryTimer = setTimeout(() => this.kick(), waitMs + 1);
          this.retryTimer.unref();
          this.options.logger?.warn(
            { err: errorName(e), retryInMs: Math.round(this.retryAt - this.now()) },
            'CloudWatch PutMetricData failed; backing off',
          );
          return;
        }
        this.onDrop('rejected', batch.length);
        this.options.logger?.error(
          { err: errorName(e), message: (e as Error).message, datums: batch.length },
          'CloudWatch rejected PutMetricData; batch dropped',
        );
      }
    }
  }
}

const RETRYABLE_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServiceFault',
  'ServiceUnavailable',
]);

function isRetryable(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number }; $fault?: string };
  if (err.name && RETRYABLE_CODES.has(err.name)) return true;
  const status = err.$metadata?.httpStatusCode;
  if (status === undefined) return true; // no answer: the network, a timeout
  return status >= 500 || status === 429;
}

function errorName(e: unknown): string {
  return (e as { name?: string }).name ?? String(e);
}
