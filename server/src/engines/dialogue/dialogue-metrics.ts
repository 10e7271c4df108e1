import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Dialogue metrics, registered in a prom-client registry the telemetry endpoint exposes. */
export interface DialogueMetrics {
  registry: Registry;
  /** Requests waiting for a generation slot. */
  queueDepth: Gauge;
  /** Request (queue wait included) to first generated token, ms. */
  firstTokenMs: Histogram;
  /** Generated tokens per second after the first token. */
  tokensPerSecond: Histogram;
  /** Generations by `outcome`: `ok`, `truncated`, or the DialogueError code. */
  generations: Counter<'outcome'>;
}

const MS_BUCKETS = [5, 10, 20, 50, 100, 200, 300, 500, 700, 1000, 1500, 2000, 3000, 5000, 10000];
const RATE_BUCKETS = [1, 2, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 1000];

export function createDialogueMetrics(registry = new Registry()): DialogueMetrics {
  const registers = [registry];
  return {
    registry,
    queueDepth: new Gauge({
      name: 'stagecraft_dialogue_queue_depth',
      help: 'Dialogue requests waiting for a generation slot',
      registers,
    }),
    firstTokenMs: new Histogram({
      name: 'stagecraft_dialogue_first_token_ms',
      help: 'Dialogue request (queue wait included) to first generated token, ms',
      buckets: MS_BUCKETS,
      registers,
    }),
    tokensPerSecond: new Histogram({
      name: 'stagecraft_dialogue_tokens_per_second',
      help: 'Generated tokens per second after the first token',
      buckets: RATE_BUCKETS,
      registers,
    }),
    generations: new Counter({
      name: 'stagecraft_dialogue_generations_total',
      help: 'Dialogue generations by outcome',
      labelNames: ['outcome'],
      registers,
    }),
  };
}
