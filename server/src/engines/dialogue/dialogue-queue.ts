import type { TierName } from '@stagecraft/protocol';
import {
  type DialogueEngine,
  DialogueError,
  type DialogueEvent,
  type DialogueRequest,
  type PromptRead,
  type PromptReader,
  readsPrompts,
} from './dialogue.js';
import type { DialogueMetrics } from './dialogue-metrics.js';

export interface DialogueQueueOptions {
  /** Generations run at once; match the engine's context sequences. */
  concurrency: number;
  /** Requests that may wait; the next one fails at once with a retryable `overloaded`. Default 32. */
  maxDepth?: number;
  metrics?: DialogueMetrics;
}

interface Waiter {
  resolve: () => void;
  reject: (err: DialogueError) => void;
}

/**
 * Admission in front of an engine: at most `concurrency` generations run; the rest wait, served
 * round robin across scenes so that one busy scene cannot starve the others (within a scene,
 * first come first served). Past `maxDepth` waiting requests it refuses new ones rather than let
 * them go stale, so the caller can fall back to a lower tier at once.
 */
export class DialogueQueue implements DialogueEngine, PromptReader {
  readonly name: string;
  readonly tier: TierName;
  private running = 0;
  private depth = 0;
  private closed = false;
  /** Waiting requests by scene; the map's order is the round-robin order. */
  private readonly scenes = new Map<string, Waiter[]>();

  constructor(
    private readonly engine: DialogueEngine,
    private readonly options: DialogueQueueOptions,
  ) {
    this.name = engine.name;
    this.tier = engine.tier;
    if (!(options.concurrency >= 1)) throw new RangeError(`concurrency must be 1 or more, got ${options.concurrency}`);
  }

  /** Requests waiting now. */
  get waiting(): number {
    return this.depth;
  }

  async *generate(request: DialogueRequest, signal?: AbortSignal): AsyncIterable<DialogueEvent> {
    const startedMs = performance.now();
    const metrics = this.options.metrics;
    let outcome = 'aborted';
    try {
      await this.admit(request.sceneId, signal);
    } catch (err) {
      metrics?.generations.inc({ tier: this.tier, outcome: (err as DialogueError).code });
      throw err;
    }
    const waitMs = performance.now() - startedMs;
    // What is left of the first-words deadline once the wait is over; none left: fail now.
    const budget = request.firstWordsMs === undefined ? undefined : request.firstWordsMs - waitMs;
    try {
      if (budget !== undefined && budget <= 0) {
        throw new DialogueError(
          this.name,
          'timeout',
          `waited ${Math.round(waitMs)} ms in the queue, past the deadline`,
          true,
        );
      }
      const admitted = budget === undefined ? request : { ...request, firstWordsMs: budget };
      for await (const event of this.engine.generate(admitted, signal)) {
        if (event.kind === 'reply') {
          outcome = event.truncated ? 'truncated' : 'ok';
          metrics?.firstTokenMs.observe(waitMs + event.firstTokenMs, { tier: this.tier });
          const decodeMs = event.totalMs - event.firstTokenMs;
          if (event.tokens > 1 && decodeMs > 0)
            metrics?.tokensPerSecond.observe(((event.tokens - 1) * 1000) / decodeMs, { tier: this.tier });
        }
        yield event;
      }
    } catch (err) {
      outcome = err instanceof DialogueError ? err.code : 'engine-failed';
      throw err;
    } finally {
      metrics?.generations.inc({ tier: this.tier, outcome });
      this.setRunning(this.running - 1);
      this.dispatch();
    }
  }

  /** Reads a prompt ahead in its turn, like a generation; nothing when the engine keeps no cache. */
  async readPrompt(request: DialogueRequest, signal?: AbortSignal): Promise<PromptRead | undefined> {
    if (!readsPrompts(this.engine)) return undefined;
    await this.admit(request.sceneId, signal);
    try {
      return await this.engine.readPrompt(request, signal);
    } finally {
      this.setRunning(this.running - 1);
      this.dispatch();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiters of this.scenes.values()) {
      for (const w of waiters) w.reject(new DialogueError(this.name, 'unavailable', 'engine closed'));
    }
    this.scenes.clear();
    this.setDepth(0);
    await this.engine.close();
  }

  private admit(sceneId: string, signal?: AbortSignal): Promise<void> {
    if (this.closed) return Promise.reject(new DialogueError(this.name, 'unavailable', 'engine closed'));
    if (signal?.aborted) return Promise.reject(new DialogueError(this.name, 'aborted', 'generation aborted'));
    if (this.running < this.options.concurrency && this.depth === 0) {
      this.setRunning(this.running + 1);
      return Promise.resolve();
    }
    const maxDepth = this.options.maxDepth ?? 32;
    if (this.depth >= maxDepth) {
      return Promise.reject(
        new DialogueError(this.name, 'overloaded', `${this.depth} requests already waiting (limit ${maxDepth})`, true),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
      };
      const onAbort = () => {
        const list = this.scenes.get(sceneId);
        const at = list?.indexOf(waiter) ?? -1;
        if (!list || at < 0) return;
        list.splice(at, 1);
        if (list.length === 0) this.scenes.delete(sceneId);
        this.setDepth(this.depth - 1);
        reject(new DialogueError(this.name, 'aborted', 'generation aborted while queued'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const list = this.scenes.get(sceneId);
      if (list) list.push(waiter);
      else this.scenes.set(sceneId, [waiter]);
      this.setDepth(this.depth + 1);
    });
  }

  /** Starts waiting requests while slots are free: the next scene in turn, its oldest request. */
  private dispatch(): void {
    while (this.running < this.options.concurrency) {
      const next = this.scenes.entries().next();
      if (next.done) return;
      const [sceneId, waiters] = next.value;
      const waiter = waiters.shift();
      this.scenes.delete(sceneId);
      if (waiters.length > 0) this.scenes.set(sceneId, waiters);
      if (!waiter) continue;
      this.setDepth(this.depth - 1);
      this.setRunning(this.running + 1);
      waiter.resolve();
    }
  }

  private setRunning(running: number): void {
    this.running = running;
    this.options.metrics?.inFlight.set(running, { tier: this.tier });
  }

  private setDepth(depth: number): void {
    this.depth = depth;
    this.options.metrics?.queueDepth.set(depth, { tier: this.tier });
  }
}
