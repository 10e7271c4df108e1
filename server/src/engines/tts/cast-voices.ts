import type { TierName } from '@stagecraft/protocol';
import type { Logger } from 'pino';
import { withAlignedTiming } from './aligned-timing.js';
import { EspeakEngine, espeakAvailability } from './espeak-engine.js';
import { withGuards } from './guarded.js';
import { withInFlight } from './in-flight.js';
import { SHERPA_FAMILIES, SherpaEngine } from './sherpa-engine.js';
import { type FallbackStep, withTierFallback } from './tier-fallback.js';
import type { TtsEngine, VoiceSettings } from './tts.js';
import { withCache } from './tts-cache.js';
import type { VoiceMetrics } from './voice-metrics.js';
import { type CastVoice, VoiceRegistry } from './voice-registry.js';

/** Voice a cast member without one speaks with. */
export const DEFAULT_VOICE = 'espeak-ng:en-us';

export interface CastVoicesOptions {
  modelsDir: string | undefined;
  /** Content-addressed TTS cache folder; undefined keeps the memory cache only. */
  cacheDir: string | undefined;
  metrics: VoiceMetrics;
  logger: Logger;
  /** A tier that has not answered a clause within this many ms hands it to the next tier. */
  deadlineMs?: number;
}

/** The process's TTS engines, and each cast member's engine chain (gold → silver → bronze). */
export class CastVoices {
  private constructor(
    private readonly registry: VoiceRegistry,
    private readonly options: CastVoicesOptions,
    private readonly closers: (() => Promise<void> | void)[],
  ) {}

  /** Finds the installed engines: espeak-ng when its package is present, sherpa-onnx voices in the models folder. */
  static async create(options: CastVoicesOptions): Promise<CastVoices> {
    const registry = new VoiceRegistry();
    const closers: (() => Promise<void> | void)[] = [];
    const espeakState = espeakAvailability();
    let espeak: EspeakEngine | undefined;
    if (espeakState.ok) {
      espeak = new EspeakEngine('bronze');
      registry.add(espeak, 'en-us');
      const engine = espeak;
      closers.push(() => engine.close());
    } else {
      options.logger.warn({ reason: espeakState.reason }, 'espeak-ng is not installed; NPCs need a neural voice');
    }
    if (options.modelsDir) {
      for (const family of SHERPA_FAMILIES) {
        const sherpa = new SherpaEngine({ modelsDir: options.modelsDir, family, tier: 'silver' });
        const voices = await sherpa.voices();
        const first = voices[0];
        if (!first) continue;
        const timed = espeak ? withAlignedTiming(sherpa, espeak, (v) => ({ ...v, voice: 'en-us' })) : sherpa;
        registry.add(timed, first.voice);
        options.logger.info({ family, voices: voices.map((v) => v.voice) }, 'neural voices found');
      }
    }
    return new CastVoices(registry, options, closers);
  }

  /** Engine names that can speak now, e.g. `['espeak-ng', 'piper']`. */
  engines(): string[] {
    return this.registry.names();
  }

  /**
   * The engine chain and settings for a cast member: its own voice first, then every engine at
   * or below its tier, each behind timeouts, retries and the cache. Throws VoiceError naming `field`.
   */
  forCast(voice: CastVoice | undefined, tier: TierName, field: string): { engine: TtsEngine; settings: VoiceSettings } {
    const wanted = voice ?? { voice: DEFAULT_VOICE };
    const { engine, settings } = this.registry.resolve(wanted, field);
    const guard = (e: TtsEngine) =>
      withCache(withGuards(withInFlight(e, this.options.metrics), { timeoutMs: 10_000, retries: 1 }), {
        dir: this.options.cacheDir,
        metrics: this.options.metrics,
      });
    const steps: FallbackStep[] = [{ engine: guard(engine) }];
    for (const f of this.registry.fallbacks(tier)) {
      if (f.engine === engine) continue;
      steps.push({ engine: guard(f.engine), voice: (v) => ({ ...v, voice: f.voice }) });
    }
    const chain = withTierFallback(steps, {
      deadlineMs: this.options.deadlineMs ?? 1500,
      fallbacks: this.options.metrics.fallbacks,
      onFallback: (from, to, reason) => this.options.logger.warn({ from, to, reason }, 'voice fell back a tier'),
    });
    return { engine: chain, settings };
  }

  async close(): Promise<void> {
    for (const close of this.closers) await close();
  }
}
