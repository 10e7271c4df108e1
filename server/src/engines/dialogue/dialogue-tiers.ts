import { type FallbackCounter, routeTiers, type TierStep } from '../tier-router.js';
import { type DialogueEngine, DialogueError, type DialogueEvent, type DialogueRequest } from './dialogue.js';

export interface DialogueTierOptions {
  /**
   * Longest wait from the request to a tier's first event (queue wait included), ms; past it the
   * next tier answers. The model that was late reads on unheard, so that it ends up holding the
   * prompt it was reading (new memory, a sequence taken by another NPC) for the NPC's next line.
   */
  firstWordsMs: number;
  fallbacks?: FallbackCounter;
  onFallback?(from: TierStep<DialogueEngine>, to: TierStep<DialogueEngine>, error: unknown): void;
}

/** A tier that has started to speak: its stream from the first event on. */
export interface Speaking {
  events: AsyncIterable<DialogueEvent>;
  step: TierStep<DialogueEngine>;
}

export function dialogueSteps(engines: readonly DialogueEngine[]): TierStep<DialogueEngine>[] {
  return engines.map((engine) => ({ engine, name: engine.name, tier: engine.tier }));
}

/**
 * Routes one request through the tiers (gold → silver → bronze): the first tier whose first
 * event (its first words, or a reply) comes within the deadline speaks; the others are passed
 * over. Throws the last tier's DialogueError when every tier fails. Once a tier has started,
 * its stream is the caller's, failures included.
 */
export async function firstToSpeak(
  steps: readonly TierStep<DialogueEngine>[],
  request: DialogueRequest,
  options: DialogueTierOptions,
  signal?: AbortSignal,
): Promise<Speaking> {
  const { result, step } = await routeTiers<DialogueEngine, Started>(
    steps,
    {
      service: 'dialogue',
      deadlineMs: options.firstWordsMs,
      attempt: (s, stepSignal) => start(s.engine, request, stepSignal),
      timeoutError: (s) => new DialogueError(s.name, 'timeout', `nothing said within ${options.firstWordsMs} ms`, true),
      abortError: (s) => new DialogueError(s.name, 'aborted', 'generation aborted'),
      finishLate: (late) => void drain(late.rest),
      codeOf: (err) => (err instanceof DialogueError ? err.code : 'engine-failed'),
      fallbacks: options.fallbacks,
      onFallback: options.onFallback,
    },
    signal,
  );
  return { events: resume(result), step };
}

interface Started {
  first: DialogueEvent;
  rest: AsyncIterator<DialogueEvent>;
}

/** Opens the engine's stream and waits for its first event. */
async function start(engine: DialogueEngine, request: DialogueRequest, signal: AbortSignal): Promise<Started> {
  const rest = engine.generate(request, signal)[Symbol.asyncIterator]();
  let first: IteratorResult<DialogueEvent>;
  try {
    first = await rest.next();
  } catch (err) {
    if (err instanceof DialogueError) throw err;
    throw new DialogueError(engine.name, 'engine-failed', `generation failed: ${String(err)}`, true, { cause: err });
  }
  if (first.done) throw new DialogueError(engine.name, 'bad-output', 'the engine ended without a reply');
  return { first: first.value, rest };
}

async function* resume({ first, rest }: Started): AsyncIterable<DialogueEvent> {
  let finished = false;
  try {
    yield first;
    while (true) {
      const next = await rest.next();
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // The reader stopped early: stop the engine without waiting for it.
    if (!finished) rest.return?.().catch(() => {});
  }
}

async function drain(rest: AsyncIterator<DialogueEvent>): Promise<void> {
  try {
    while (!(await rest.next()).done) {
      // unheard
    }
  } catch {
    // a late generation's failure has no one to tell
  }
}
