import { afterAll, describe, expect, it } from '@jest/globals';
import { DeadlineEngine } from './deadline-engine.js';
import type { DialogueEngine, DialogueEvent } from './dialogue.js';
import { DialogueQueue } from './dialogue-queue.js';
import { LlamaEngine } from './llama-engine.js';
import { dialogueConformance, expectWellFormed } from './test-support/dialogue-conformance.js';
import { collect, innkeeperRequest, storiesModel } from './test-support/stories-model.js';

/**
 * Scripted engines for the guard's own cases (these tests are about the guard): one that says
 * nothing until aborted, one that fails with a plain Error.
 */
function silentEngine(): DialogueEngine & { abortedAt: number[] } {
  const abortedAt: number[] = [];
  return {
    name: 'silent',
    tier: 'silver',
    abortedAt,
    async *generate(_request, signal): AsyncIterable<DialogueEvent> {
      await new Promise<void>((resolve) =>
        signal?.addEventListener('abort', () => {
          abortedAt.push(performance.now());
          resolve();
        }),
      );
      // An engine slow to stop: the guard must not wait for it.
      await new Promise((r) => setTimeout(r, 3000).unref());
    },
    close: async () => {},
  };
}

function brokenEngine(): DialogueEngine {
  return {
    name: 'broken',
    tier: 'silver',
    async *generate(): AsyncIterable<DialogueEvent> {
      await new Promise((r) => setTimeout(r, 10));
      throw new Error('native crash');
    },
    close: async () => {},
  };
}

describe('deadline engine', () => {
  it('aborts a silent engine and throws retryable timeout at the deadline', async () => {
    const inner = silentEngine();
    const guarded = new DeadlineEngine(inner, { firstTextMs: 50 });
    const t0 = performance.now();
    await expect(collect(guarded, innkeeperRequest())).rejects.toMatchObject({ code: 'timeout', retryable: true });
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(45);
    expect(elapsed).toBeLessThan(1000);
    expect(inner.abortedAt).toHaveLength(1);
  });

  it('turns a plain failure into retryable engine-failed', async () => {
    const guarded = new DeadlineEngine(brokenEngine(), { firstTextMs: 1000 });
    await expect(collect(guarded, innkeeperRequest())).rejects.toMatchObject({
      code: 'engine-failed',
      retryable: true,
      message: expect.stringContaining('native crash'),
    });
  });

  it("ends with code aborted at once when the caller's signal aborts", async () => {
    const inner = silentEngine();
    const guarded = new DeadlineEngine(inner, { firstTextMs: 5000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const t0 = performance.now();
    await expect(collect(guarded, innkeeperRequest(), controller.signal)).rejects.toMatchObject({ code: 'aborted' });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(inner.abortedAt).toHaveLength(1);
  });
});

const skip = storiesModel.ok ? undefined : storiesModel.reason;
const modelPath = storiesModel.ok ? storiesModel.path : '';

dialogueConformance(
  'deadline guard over node-llama-cpp (stories260K)',
  async () => new DeadlineEngine(await LlamaEngine.load({ modelPath, threads: 1 })),
  skip,
);

if (skip) console.warn(`[skip] deadline guard over a real model: ${skip}`);
(skip ? describe.skip : describe)('deadline guard over a real model', () => {
  let queue: DialogueQueue | undefined;
  afterAll(async () => queue?.close());

  it('fires for a request stuck behind a busy model, and frees its place in the queue', async () => {
    queue = new DialogueQueue(await LlamaEngine.load({ modelPath, threads: 1, sequences: 1 }), { concurrency: 1 });
    const guarded = new DeadlineEngine(queue, { firstTextMs: 40 });
    const busy = collect(queue, innkeeperRequest({ seed: 1, maxTokens: 400 }));
    const t0 = performance.now();
    await expect(collect(guarded, innkeeperRequest({ sceneId: 'market' }))).rejects.toMatchObject({ code: 'timeout' });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(queue.waiting).toBe(0);
    expectWellFormed((await busy).events);
  });
});
