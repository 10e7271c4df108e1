import { afterAll, describe, expect, it } from '@jest/globals';
import { PrometheusMetrics } from '../../telemetry/prometheus-metrics.js';
import type { DialogueEngine, DialogueEvent, DialogueRequest } from './dialogue.js';
import { dialogueMetrics } from './dialogue-metrics.js';
import { DialogueQueue } from './dialogue-queue.js';
import { dialogueSteps, firstToSpeak } from './dialogue-tiers.js';
import { LlamaEngine } from './llama-engine.js';
import { expectWellFormed } from './test-support/dialogue-conformance.js';
import { collect, innkeeperRequest, storiesModel } from './test-support/stories-model.js';

/**
 * Scripted engines for the routing's own cases (these tests are about tier routing): one that
 * says nothing until aborted, one that fails with a plain Error, one that answers at once.
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
      // An engine slow to stop: the routing must not wait for it.
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

function authored(line: string): DialogueEngine {
  return {
    name: 'barks',
    tier: 'bronze',
    async *generate(): AsyncIterable<DialogueEvent> {
      yield { kind: 'text', text: line };
      const reply = { line, emotion: 'neutral', intensity: 0.5, gesture: 'none', intent: 'inform' } as const;
      yield { kind: 'reply', reply, tokens: 0, firstTokenMs: 0, totalMs: 0 };
    },
    close: async () => {},
  };
}

async function spoken(engines: DialogueEngine[], request: DialogueRequest, firstWordsMs: number, signal?: AbortSignal) {
  const { events, step } = await firstToSpeak(dialogueSteps(engines), request, { firstWordsMs }, signal);
  const all: DialogueEvent[] = [];
  for await (const e of events) all.push(e);
  return { events: all, tier: step.tier };
}

describe('dialogue tier routing', () => {
  it('passes over a silent model at the first-words deadline; the authored line speaks', async () => {
    const silent = silentEngine();
    const t0 = performance.now();
    const { events, tier } = await spoken([silent, authored('Rooms? Aye.')], innkeeperRequest(), 50);
    expect(tier).toBe('bronze');
    expect(events[0]).toEqual({ kind: 'text', text: 'Rooms? Aye.' });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    // The late model is left to read on unheard, not aborted.
    expect(silent.abortedAt).toHaveLength(0);
  });

  it('passes over a model that crashes, as a retryable engine-failed', async () => {
    const failures: unknown[] = [];
    const { events } = await firstToSpeak(dialogueSteps([brokenEngine(), authored('Hm.')]), innkeeperRequest(), {
      firstWordsMs: 1000,
      onFallback: (_from, _to, err) => failures.push(err),
    });
    for await (const _ of events) {
      // read to the end
    }
    expect(failures).toEqual([
      expect.objectContaining({
        code: 'engine-failed',
        retryable: true,
        message: expect.stringContaining('native crash'),
      }),
    ]);
  });

  it("ends with code aborted at once when the caller's signal aborts", async () => {
    const silent = silentEngine();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const t0 = performance.now();
    await expect(spoken([silent, authored('x')], innkeeperRequest(), 5000, controller.signal)).rejects.toMatchObject({
      code: 'aborted',
    });
    // Generous: the 3 s the engine takes to stop must not be waited for.
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(silent.abortedAt).toHaveLength(1);
  });
});

const skip = storiesModel.ok ? undefined : storiesModel.reason;
const modelPath = storiesModel.ok ? storiesModel.path : '';
const GENERATIONS = 'stagecraft_dialogue_generations_total';

if (skip) console.warn(`[skip] dialogue tier routing over a real model: ${skip}`);
(skip ? describe.skip : describe)('dialogue tier routing over a real model', () => {
  let queue: DialogueQueue | undefined;
  afterAll(async () => queue?.close());

  it('hands a request stuck behind a busy model to the next tier; the model then reads it unheard', async () => {
    const prom = new PrometheusMetrics();
    const metrics = dialogueMetrics(prom);
    queue = new DialogueQueue(await LlamaEngine.load({ modelPath, threads: 1, sequences: 1 }), {
      concurrency: 1,
      metrics,
    });
    const busy = collect(queue, innkeeperRequest({ seed: 1, maxTokens: 400 }));
    const { tier } = await spoken([queue, authored('One moment.')], innkeeperRequest({ sceneId: 'market' }), 40);
    expect(tier).toBe('bronze');
    expect(queue.waiting).toBe(1);
    expectWellFormed((await busy).events);
    // The passed-over request is served once the model is free, and read to its end.
    const generations = async () =>
      (await prom.read(GENERATIONS, { outcome: 'ok' })) + (await prom.read(GENERATIONS, { outcome: 'truncated' }));
    const deadline = Date.now() + 60_000;
    while ((await generations()) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await generations()).toBe(2);
    expect(queue.waiting).toBe(0);
  });
});
