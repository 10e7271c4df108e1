import type { Counter, Gauge, Histogram, Metrics } from '../../telemetry/metrics.js';

/** What dialogue engines record, each by `tier`: queue depth, work in flight, time to first token, decoding speed, outcomes. */
export interface DialogueMetrics {
  /** Requests waiting for a generation slot. */
  queueDepth: Gauge<'tier'>;
  /** Generations (and prompt reads) running now. */
  inFlight: Gauge<'tier'>;
  /** Request (queue wait included) to first generated token, ms. */
  firstTokenMs: Histogram<'tier'>;
  /** Generated tokens per second after the first token. */
  tokensPerSecond: Histogram<'tier'>;
  /** Generations by `outcome`: `ok`, `truncated`, or the DialogueError code. */
  generations: Counter<'tier' | 'outcome'>;
}

const MS_BUCKETS = [5, 10, 20, 50, 100, 200, 300, 500, 700, 1000, 1500, 2000, 3000, 5000, 10000];
const RATE_BUCKETS = [1, 2, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 1000];

export function dialogueMetrics(metrics: Metrics): DialogueMetrics {
  return {
    queueDepth: metrics.gauge({
      name: 'stagecraft_dialogue_queue_depth',
      help: 'Dialogue requests waiting for a generation slot, by tier',
      labels: ['tier'],
    }),
    inFlight: metrics.gauge({
      name: 'stagecraft_dialogue_in_flight',
      help: 'Dialogue generations running now, by tier',
      labels: ['tier'],
    }),
    firstTokenMs: metrics.histogram({
      name: 'stagecraft_dialogue_first_token_ms',
      help: 'Dialogue request (queue wait included) to first generated token, ms, by tier',
      labels: ['tier'],
      buckets: MS_BUCKETS,
    }),
    tokensPerSecond: metrics.histogram({
      name: 'stagecraft_dialogue_tokens_per_second',
      help: 'Generated tokens per second after the first token, by tier',
      labels: ['tier'],
      buckets: RATE_BUCKETS,
    }),
    generations: metrics.counter({
      name: 'stagecraft_dialogue_generations_total',
      help: 'Dialogue generations by tier and outcome',
      labels: ['tier', 'outcome'],
    }),
  };
}
