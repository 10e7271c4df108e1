import { synthesizeWithin } from './deadline.js';
import { abortError, type Synthesis, type SynthesisRequest, type TtsEngine, TtsError } from './tts.js';

export interface GuardOptions {
  /** A request that takes longer fails with code `timeout`, ms. */
  timeoutMs: number;
  /** Extra tries for errors marked retryable. */
  retries: number;
}

/** Shared wrapper every engine runs behind: timeouts and retries live here, not in providers. */
export function withGuards(engine: TtsEngine, options: GuardOptions): TtsEngine {
  const once = (request: SynthesisRequest, signal?: AbortSignal): Promise<Synthesis> =>
    synthesizeWithin(engine, request, options.timeoutMs, `no audio within ${options.timeoutMs} ms`, signal);
  return {
    name: engine.name,
    tier: engine.tier,
    voices: () => engine.voices(),
    async synthesize(request, signal) {
      for (let attempt = 0; ; attempt++) {
        if (signal?.aborted) throw abortError(engine.name);
        try {
          return await once(request, signal);
        } catch (err) {
          const wrapped =
            err instanceof TtsError
              ? err
              : new TtsError(engine.name, 'engine-failed', String(err), false, { cause: err });
          if (signal?.aborted) throw abortError(engine.name);
          if (!wrapped.retryable || attempt >= options.retries) throw wrapped;
        }
      }
    },
  };
}
