import { type Synthesis, type SynthesisRequest, type TtsEngine, TtsError } from './tts.js';

/**
 * Runs one synthesis with a deadline: past `ms` the engine's request is aborted and the call
 * rejects with a retryable `timeout` TtsError carrying `message`. The caller's signal still
 * aborts it at any time.
 */
export function synthesizeWithin(
  engine: TtsEngine,
  request: SynthesisRequest,
  ms: number,
  message: string,
  signal?: AbortSignal,
): Promise<Synthesis> {
  const controller = new AbortController();
  const forward = () => controller.abort();
  signal?.addEventListener('abort', forward, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new TtsError(engine.name, 'timeout', message, true));
    }, ms);
  });
  return Promise.race([engine.synthesize(request, controller.signal), deadline]).finally(() => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forward);
  });
}
