import type { Writable } from 'node:stream';
import type { MetricDatum } from './datum.js';
import { emfDocuments } from './emf.js';
import type { MetricsSink } from './metrics-sink.js';

/**
 * Writes each window as EMF JSON lines to a stream: stdout under ECS's awslogs driver, where
 * CloudWatch Logs extracts the metrics, or a file.
 */
export class EmfSink implements MetricsSink {
  constructor(
    private readonly out: Writable,
    private readonly namespace: string,
  ) {}

  async publish(datums: MetricDatum[]): Promise<void> {
    if (datums.length === 0) return;
    const lines = emfDocuments(datums, this.namespace).map((d) => `${JSON.stringify(d)}\n`);
    this.out.write(lines.join(''));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
