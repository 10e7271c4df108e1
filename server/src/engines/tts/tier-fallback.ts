import { type FallbackCounter, routeTiers, type TierStep } from '../tier-router.js';
import { abortError, type Synthesis, type TtsEngine, TtsError, type VoiceSettings } from './tts.js';

export interface FallbackStep {
  engine: TtsEngine;
  /** Settings for this engine, from the request's settings; default: unchanged. */
  voice?: (requested: VoiceSettings) => VoiceSettings;
}

export interface FallbackOptions {
  /** A step that has not answered within this many ms is abandoned for the next tier. */
  deadlineMs: number;
  fallbacks?: FallbackCounter;
  /** Called once per fallback, e.g. for a log line. */
  onFallback?: (from: string, to: string, reason: string) => void;
}

/**
 * Tier routing for voices: each clause goes to the steps in order (gold → silver → bronze)
 * through the tier router; when one fails or misses its deadline, the next one speaks it.
 */
export function withTierFallback(steps: FallbackStep[], options: FallbackOptions): TtsEngine {
  const first = steps[0];
  if (!first) throw new Error('withTierFallback needs at least one engine');
  const tiers: TierStep<FallbackStep>[] = steps.map((s) => ({ engine: s, name: s.engine.name, tier: s.engine.tier }));
  return {
    name: first.engine.name,
    tier: first.engine.tier,
    voices: () => first.engine.voices(),
    async synthesize(request, signal) {
      const { result } = await routeTiers<FallbackStep, Synthesis>(
        tiers,
        {
          service: 'tts',
          deadlineMs: options.deadlineMs,
          attempt: async ({ engine: step }, stepSignal) => {
            const voice = step.voice ? step.voice(request.voice) : request.voice;
            const s = await step.engine.synthesize({ ...request, voice }, stepSignal);
            return { ...s, engine: s.engine ?? step.engine.name };
          },
          timeoutError: (s) => new TtsError(s.name, 'timeout', `missed its ${options.deadlineMs} ms deadline`, true),
          abortError: (s) => abortError(s.name),
          codeOf: (err) => (err instanceof TtsError ? err.code : 'engine-failed'),
          fallbacks: options.fallbacks,
          onFallback: (from, to, err) =>
            options.onFallback?.(from.name, to.name, err instanceof Error ? err.message : String(err)),
        },
        signal,
      );
      return result;
    },
  };
}
