/** A monotonically increasing count, split by label. */
export class Counter {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(label = '', by = 1): void {
    this.values.set(label, (this.values.get(label) ?? 0) + by);
  }
  get(label = ''): number {
    return this.values.get(label) ?? 0;
  }
  total(): number {
    let sum = 0;
    for (const v of this.values.values()) sum += v;
    return sum;
  }
  entries(): [string, number][] {
    return [...this.values];
  }
}

/** Observed values with quantiles; keeps the last `capacity` observations. */
export class Histogram {
  private readonly samples: number[] = [];
  count = 0;
  sum = 0;
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly capacity = 10_000,
  ) {}
  observe(value: number): void {
    this.count++;
    this.sum += value;
    this.samples.push(value);
    if (this.samples.length > this.capacity) this.samples.shift();
  }
  quantile(q: number): number {
    if (this.samples.length === 0) return Number.NaN;
    const sorted = [...this.samples].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  }
}

/** Voice metrics for the telemetry module to expose. */
export interface VoiceMetrics {
  /** Tier fallbacks, labelled `from→to`. */
  fallbacks: Counter;
  /** Performances by end reason. */
  performances: Counter;
  /** say → first audio chunk, ms. */
  firstChunkMs: Histogram;
  /** stop → end frame, ms. */
  stopMs: Histogram;
  /** TTS cache lookups, labelled `memory`, `disk` or `miss`. */
  cache: Counter;
}

export function createVoiceMetrics(): VoiceMetrics {
  return {
    fallbacks: new Counter('stagecraft_tts_fallbacks_total', 'TTS requests served by a lower tier'),
    performances: new Counter('stagecraft_performances_total', 'Performances by end reason'),
    firstChunkMs: new Histogram('stagecraft_tts_first_chunk_ms', 'say to first audio chunk, ms'),
    stopMs: new Histogram('stagecraft_tts_stop_ms', 'stop to end frame, ms'),
    cache: new Counter('stagecraft_tts_cache_total', 'TTS cache lookups by result'),
  };
}
