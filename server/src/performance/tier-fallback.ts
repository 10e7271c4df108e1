import { synthesizeWithin } from '../engines/tts/deadline.js';
import {
  abortError,
  type Synthesis,
  type SynthesisRequest,
  type TtsEngine,
  type VoiceSettings,
} from '../engines/tts/tts.js';
import type { VoiceMetrics } from './metrics.js';

export interface FallbackStep {
  engine: TtsEngine;
  /** Settings for this engine, from the request's settings; default: unchanged. */
  voice?: (requested: VoiceSettings) => VoiceSettings;
}

export interface FallbackOptions {
  /** A step that has not answered within this many ms is abandoned for the next tier. */
  deadlineMs: number;
  metrics?: VoiceMetrics;
  /** Called once per fallback, e.g. for a log line. */
  onFallback?: (from: string, to: string, reason: string) => void;
}

/**
 * Tier routing: tries the steps in order (gold → silver → bronze); when one fails or misses its
 * deadline, the next one speaks the same clause. Only the last failure reaches the caller.
 */
export function withTierFallback(steps: FallbackStep[], options: FallbackOptions): TtsEngine {
  const first = steps[0];
  if (!first) throw new Error('withTierFallback needs at least one engine');
  const attempt = (step: FallbackStep, request: SynthesisRequest, signal?: AbortSignal): Promise<Synthesis> => {
    const voice = step.voice ? step.voice(request.voice) : request.voice;
    // The last tier has nothing to hand over to: it gets all the time it needs (its own guard
    // still times it out), since a late line beats silence.
    if (step === steps[steps.length - 1]) {
      return step.engine
        .synthesize({ ...request, voice }, signal)
        .then((s) => ({ ...s, engine: s.engine ?? step.engine.name }));
    }
    const message = `missed its ${options.deadlineMs} ms deadline`;
    return synthesizeWithin(step.engine, { ...request, voice }, options.deadlineMs, message, signal).then((s) => ({
      ...s,
      engine: s.engine ?? step.engine.name,
    }));
  };
  return {
    name: first.engine.name,
    tier: first.engine.tier,
    voices: () => first.engine.voices(),
    async synthesize(request, signal) {
      let last: unknown;
      for (let i = 0; i < steps.length; i++) {
        const step = steps[i] as FallbackStep;
        if (signal?.aborted) throw abortError(step.engine.name);
        try {
          return await attempt(step, request, signal);
        } catch (err) {
          if (signal?.aborted) throw abortError(step.engine.name);
          last = err;
          const next = steps[i + 1];
          if (next) {
            const label = `${step.engine.name}→${next.engine.name}`;
            options.metrics?.fallbacks.inc({ route: label });
            options.onFallback?.(step.engine.name, next.engine.name, err instanceof Error ? err.message : String(err));
          }
        }
      }
      throw last;
    },
  };
}
