import { Counter, Histogram, Registry } from 'prom-client';

/** Voice metrics, registered in a prom-client registry the telemetry endpoint exposes. */
export interface VoiceMetrics {
  registry: Registry;
  /** Tier fallbacks, by `route` (`from→to`). */
  fallbacks: Counter<'route'>;
  /** Performances, by end `reason`. */
  performances: Counter<'reason'>;
  /** say → first audio chunk, ms. */
  firstChunkMs: Histogram;
  /** stop → end frame, ms. */
  stopMs: Histogram;
  /** TTS cache lookups, by `result`: memory, disk or miss. */
  cache: Counter<'result'>;
}

const MS_BUCKETS = [1, 2, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 1000, 2000, 5000];

export function createVoiceMetrics(registry = new Registry()): VoiceMetrics {
  const registers = [registry];
  return {
    registry,
    fallbacks: new Counter({
      name: 'stagecraft_tts_fallbacks_total',
      help: 'TTS requests served by a lower tier',
      labelNames: ['route'],
      registers,
    }),
    performances: new Counter({
      name: 'stagecraft_performances_total',
      help: 'Performances by end reason',
      labelNames: ['reason'],
      registers,
    }),
    firstChunkMs: new Histogram({
      name: 'stagecraft_tts_first_chunk_ms',
      help: 'say to first audio chunk, ms',
      buckets: MS_BUCKETS,
      registers,
    }),
    stopMs: new Histogram({
      name: 'stagecraft_tts_stop_ms',
      help: 'stop to end frame, ms',
      buckets: MS_BUCKETS,
      registers,
    }),
    cache: new Counter({
      name: 'stagecraft_tts_cache_total',
      help: 'TTS cache lookups by result',
      labelNames: ['result'],
      registers,
    }),
  };
}

/** Current value of a counter for one label set (0 when never incremented). */
export async function counterValue<L extends string>(counter: Counter<L>, labels: Record<L, string>): Promise<number> {
  const { values } = await counter.get();
  const match = values.find((v) =>
    Object.entries(labels).every(([k, want]) => (v.labels as Record<string, unknown>)[k] === want),
  );
  return match?.value ?? 0;
}

/** Number of observations a histogram has seen. */
export async function histogramCount(histogram: Histogram): Promise<number> {
  const { values } = await histogram.get();
  return values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;
}
