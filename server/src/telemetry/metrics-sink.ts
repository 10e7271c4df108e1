import type { MetricDatum } from './datum.js';

/** Where a closed window's datums go: CloudWatch PutMetricData, or EMF lines for CloudWatch Logs. */
export interface MetricsSink {
  /**
   * Takes one window's datums. Resolves when they are sent or buffered; never throws (a failure
   * is logged and counted) and never holds the event loop.
   */
  publish(datums: MetricDatum[]): Promise<void>;
  /** Sends what is buffered, waiting at most `timeoutMs`. */
  close(timeoutMs: number): Promise<void>;
}
