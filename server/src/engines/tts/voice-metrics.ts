import type { TierName } from '@stagecraft/protocol';
import type { Counter, Histogram, Metrics } from '../../telemetry/metrics.js';
import { type FallbackCounter, fallbackCounter } from '../tier-router.js';

/** What the voice records: performances, first-chunk and stop latency, cache use, tier handovers. */
export interface VoiceMetrics {
  /** Tier handovers (service `tts`). */
  fallbacks: FallbackCounter;
  /** Performances, by end `reason`. */
  performances: Counter<'reason'>;
  /** say → first audio chunk, ms. */
  firstChunkMs: Histogram;
  /** stop → end frame, ms. */
  stopMs: Histogram;
  /** TTS cache lookups, by `result`: memory, disk or miss. */
  cache: Counter<'result'>;
  /** Counts a synthesis running on an engine of `tier` until the returned function is called. */
  started(tier: TierName): () => void;
}

const MS_BUCKETS = [1, 2, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 1000, 2000, 5000];

export function voiceMetrics(metrics: Metrics): VoiceMetrics {
  const inFlight = metrics.gauge<'tier'>({
    name: 'stagecraft_tts_in_flight',
    help: 'Syntheses running now, by the tier of the engine running them',
    labels: ['tier'],
  });
  const running = new Map<TierName, number>();
  const add = (tier: TierName, by: number) => {
    const n = (running.get(tier) ?? 0) + by;
    running.set(tier, n);
    inFlight.set(n, { tier });
  };
  return {
    started(tier) {
      add(tier, 1);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        add(tier, -1);
      };
    },
    fallbacks: fallbackCounter(metrics),
    performances: metrics.counter({
      name: 'stagecraft_performances_total',
      help: 'Performances by end reason',
      labels: ['reason'],
    }),
    firstChunkMs: metrics.histogram({
      name: 'stagecraft_tts_first_chunk_ms',
      help: 'say to first audio chunk, ms',
      buckets: MS_BUCKETS,
    }),
    stopMs: metrics.histogram({ name: 'stagecraft_tts_stop_ms', help: 'stop to end frame, ms', buckets: MS_BUCKETS }),
    cache: metrics.counter({
      name: 'stagecraft_tts_cache_total',
      help: 'TTS cache lookups by result',
      labels: ['result'],
    }),
  };
}
