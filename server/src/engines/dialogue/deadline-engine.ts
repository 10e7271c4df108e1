import type { Tier } from '../../performance/frames.js';
import { type DialogueEngine, DialogueError, type DialogueEvent, type DialogueRequest } from './dialogue.js';

export interface DeadlineOptions {
  /** Longest wait from the request to its first event (the first `text`, or a reply with an empty line), ms. Default 1500. */
  firstTextMs?: number;
  /**
   * What a late generation does once the caller has moved on: `abort` it (default), or let it
   * `finish` unread, so a model that was late because it was reading a new prompt (new memory, a
   * sequence taken by another NPC) ends up holding that prompt for the NPC's next reply.
   */
  onLate?: 'abort' | 'finish';
}

type Step = IteratorResult<DialogueEvent> | { timeout: true };

/**
 * Guards an engine so that a caller can fall back in time: when nothing has been said within
 * the deadline (queue wait included), or the engine fails, the inner generation is aborted and
 * the call throws at once: `timeout` (retryable), the engine's own DialogueError, or a
 * retryable `engine-failed` for anything else. Once the first text is out, the line runs on.
 */
export class DeadlineEngine implements DialogueEngine {
  readonly name: string;
  readonly tier: Tier;
  private readonly firstTextMs: number;
  private readonly onLate: 'abort' | 'finish';

  constructor(
    private readonly engine: DialogueEngine,
    options: DeadlineOptions = {},
  ) {
    this.name = engine.name;
    this.tier = engine.tier;
    this.firstTextMs = options.firstTextMs ?? 1500;
    this.onLate = options.onLate ?? 'abort';
  }

  async *generate(request: DialogueRequest, signal?: AbortSignal): AsyncIterable<DialogueEvent> {
    const controller = new AbortController();
    let stop: (step: Step) => void = () => {};
    const stopped = new Promise<Step>((resolve) => {
      stop = resolve;
    });
    const onAbort = () => {
      controller.abort();
      stop({ done: true, value: undefined });
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    const timer = setTimeout(() => stop({ timeout: true }), this.firstTextMs);
    const inner = this.engine.generate(request, controller.signal)[Symbol.asyncIterator]();
    let finished = false;
    let late = false;
    try {
      while (true) {
        const next = inner.next();
        // A step that loses the race may still reject later; it has no reader then.
        next.catch(() => {});
        const step = await Promise.race([next, stopped]);
        if (signal?.aborted) throw new DialogueError(this.name, 'aborted', 'generation aborted');
        if ('timeout' in step) {
          late = true;
          throw new DialogueError(this.name, 'timeout', `nothing said within ${this.firstTextMs} ms`, true);
        }
        if (step.done) {
          finished = true;
          return;
        }
        clearTimeout(timer);
        yield step.value;
      }
    } catch (err) {
      if (err instanceof DialogueError) throw err;
      throw new DialogueError(this.name, 'engine-failed', `generation failed: ${String(err)}`, true, { cause: err });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (!finished && late && this.onLate === 'finish' && !signal?.aborted) {
        // Read the rest unheard, in the background; the caller has its fallback already.
        void drain(inner);
      } else if (!finished) {
        controller.abort();
        // Not awaited: an engine that is slow to stop must not hold the caller's fallback up.
        inner.return?.().catch(() => {});
      }
    }
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}

async function drain(inner: AsyncIterator<DialogueEvent>): Promise<void> {
  try {
    while (!(await inner.next()).done) {
      // unheard
    }
  } catch {
    // a late generation's failure has no one to tell
  }
}
