import type { TtsEngine, VoiceSettings } from '../engines/tts/tts.js';
import type { SpeechItem, StageContext } from '../media/frames.js';

export interface SynthesizeContext extends StageContext {
  engine: TtsEngine;
  voice: VoiceSettings;
  /** Clauses synthesized ahead of the one being played. */
  ahead?: number;
}

/**
 * Clauses → synthesized clauses, in order. Up to `ahead` later clauses are requested while the
 * current one is consumed, so audio keeps flowing; a clause no engine can speak becomes a failure item.
 */
export async function* synthesizeAhead(
  input: AsyncIterable<string>,
  ctx: SynthesizeContext,
): AsyncIterable<SpeechItem> {
  const ahead = Math.max(1, ctx.ahead ?? 2);
  const queue: Promise<SpeechItem>[] = [];
  const iterator = input[Symbol.asyncIterator]();
  let done = false;
  const request = (text: string): Promise<SpeechItem> =>
    ctx.engine.synthesize({ text, voice: ctx.voice }, ctx.signal).then(
      (s): SpeechItem => ({ kind: 'clause', text, ...s, engine: s.engine ?? ctx.engine.name }),
      (err: unknown): SpeechItem => ({
        kind: 'failure',
        text,
        message: err instanceof Error ? err.message : String(err),
      }),
    );
  let filling: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  const fill = async () => {
    while (!done && queue.length < ahead && !ctx.signal.aborted) {
      const next = await iterator.next();
      if (next.done) done = true;
      else queue.push(request(next.value));
      wake?.();
    }
  };
  const kick = () => {
    filling ??= fill().finally(() => {
      filling = undefined;
    });
    return filling;
  };
  try {
    while (!ctx.signal.aborted) {
      const running = kick();
      if (queue.length === 0)
        await new Promise<void>((resolve) => {
          wake = resolve;
          void running.then(resolve);
        });
      const head = queue.shift();
      if (!head) break;
      const item = await head;
      kick();
      yield item;
    }
  } finally {
    if (!done) void iterator.return?.()?.catch(() => undefined);
  }
}
