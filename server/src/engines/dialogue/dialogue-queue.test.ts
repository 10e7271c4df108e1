import { afterAll, describe, expect, it } from '@jest/globals';
import { PrometheusMetrics } from '../../telemetry/prometheus-metrics.js';
import type { DialogueEngine, DialogueEvent, DialogueRequest } from './dialogue.js';
import { dialogueMetrics } from './dialogue-metrics.js';
import { DialogueQueue } from './dialogue-queue.js';
import { LlamaEngine } from './llama-engine.js';
import { dialogueConformance, expectWellFormed } from './test-support/dialogue-conformance.js';
import { collect, innkeeperRequest, storiesModel } from './test-support/stories-model.js';

/**
 * A scripted engine whose generations wait until the test lets them finish; the order in which
 * they start is what the queue decides. (These tests are about the queue, not about an engine.)
 */
class GateEngine implements DialogueEngine {
  readonly name = 'gate';
  readonly tier = 'silver' as const;
  readonly started: string[] = [];
  readonly requests: DialogueRequest[] = [];
  private readonly gates: (() => void)[] = [];

  async *generate(request: DialogueRequest): AsyncIterable<DialogueEvent> {
    this.started.push(`${request.sceneId}:${request.npcId}`);
    this.requests.push(request);
    await new Promise<void>((resolve) => this.gates.push(resolve));
    const reply = { line: 'ok', emotion: 'neutral', intensity: 0.5, gesture: 'none', intent: 'inform' } as const;
    yield { kind: 'text', text: 'ok' };
    yield { kind: 'reply', reply, tokens: 3, firstTokenMs: 1, totalMs: 2 };
  }

  /** Lets the oldest running generation finish. */
  async finishOne(): Promise<void> {
    this.gates.shift()?.();
    await new Promise((r) => setTimeout(r, 5));
  }

  async close(): Promise<void> {}
}

const request = (sceneId: string, npcId: string) => innkeeperRequest({ sceneId, npcId });
const settle = () => new Promise((r) => setTimeout(r, 5));

describe('dialogue queue', () => {
  it('serves waiting scenes round robin, each scene first come first served', async () => {
    const engine = new GateEngine();
    const queue = new DialogueQueue(engine, { concurrency: 1 });
    const runs = [
      collect(queue, request('busy', 'blocker')),
      ...['a1', 'a2', 'a3', 'a4'].map((n) => collect(queue, request('a', n))),
      ...['b1', 'b2'].map((n) => collect(queue, request('b', n))),
      collect(queue, request('c', 'c1')),
    ];
    await settle();
    expect(queue.waiting).toBe(7);
    for (let i = 0; i < runs.length; i++) await engine.finishOne();
    await Promise.all(runs);
    expect(engine.started).toEqual(['busy:blocker', 'a:a1', 'b:b1', 'c:c1', 'a:a2', 'b:b2', 'a:a3', 'a:a4']);
  });

  it('passes on what is left of the first-words deadline, and fails a request whose wait used it all', async () => {
    const engine = new GateEngine();
    const queue = new DialogueQueue(engine, { concurrency: 1 });
    const first = collect(queue, innkeeperRequest({ firstWordsMs: 600_000 }));
    const late = collect(queue, innkeeperRequest({ npcId: 'late', firstWordsMs: 20 })).catch((e: unknown) => e);
    const patient = collect(queue, innkeeperRequest({ npcId: 'patient', firstWordsMs: 600_000 }));
    await new Promise((r) => setTimeout(r, 100));
    await engine.finishOne();
    expect(await late).toMatchObject({ code: 'timeout', retryable: true });
    await engine.finishOne();
    await Promise.all([first, patient]);
    expect(engine.started).toEqual(['tavern:innkeeper', 'tavern:patient']);
    const left = engine.requests[1]?.firstWordsMs ?? 0;
    expect(left).toBeLessThan(600_000 - 90);
    expect(left).toBeGreaterThan(0);
  });

  it('refuses a request past its depth as retryable overloaded, and counts it', async () => {
    const engine = new GateEngine();
    const prom = new PrometheusMetrics();
    const metrics = dialogueMetrics(prom);
    const queue = new DialogueQueue(engine, { concurrency: 1, maxDepth: 2, metrics });
    const runs = [1, 2, 3].map((n) => collect(queue, request('a', `n${n}`)));
    await settle();
    expect(await prom.read('stagecraft_dialogue_queue_depth')).toBe(2);
    expect(await prom.read('stagecraft_dialogue_queue_depth', { tier: engine.tier })).toBe(2);
    expect(await prom.read('stagecraft_dialogue_in_flight', { tier: engine.tier })).toBe(1);
    await expect(collect(queue, request('b', 'late'))).rejects.toMatchObject({ code: 'overloaded', retryable: true });
    for (let i = 0; i < 3; i++) await engine.finishOne();
    await Promise.all(runs);
    expect(await prom.read('stagecraft_dialogue_generations_total', { outcome: 'overloaded' })).toBe(1);
    expect(await prom.read('stagecraft_dialogue_generations_total', { outcome: 'ok' })).toBe(3);
    expect(await prom.read('stagecraft_dialogue_queue_depth')).toBe(0);
    expect(await prom.read('stagecraft_dialogue_in_flight', { tier: engine.tier })).toBe(0);
  });

  it('drops a waiting request whose signal aborts', async () => {
    const engine = new GateEngine();
    const queue = new DialogueQueue(engine, { concurrency: 1 });
    const first = collect(queue, request('a', 'first'));
    const controller = new AbortController();
    const second = collect(queue, request('b', 'second'), controller.signal);
    await settle();
    expect(queue.waiting).toBe(1);
    controller.abort();
    await expect(second).rejects.toMatchObject({ code: 'aborted' });
    expect(queue.waiting).toBe(0);
    await engine.finishOne();
    await first;
    expect(engine.started).toEqual(['a:first']);
  });
});

const skip = storiesModel.ok ? undefined : storiesModel.reason;
const modelPath = storiesModel.ok ? storiesModel.path : '';
dialogueConformance(
  'dialogue queue over node-llama-cpp (stories260K)',
  async () =>
    new DialogueQueue(await LlamaEngine.load({ modelPath, threads: 1 }), {
      concurrency: 2,
      metrics: dialogueMetrics(new PrometheusMetrics()),
    }),
  skip,
);

if (skip) console.warn(`[skip] dialogue queue over a real model: ${skip}`);
(skip ? describe.skip : describe)('dialogue queue over a real model', () => {
  let queue: DialogueQueue | undefined;
  afterAll(async () => queue?.close());

  it('shares one model between scenes and records time to first token, tokens/s and outcomes', async () => {
    const prom = new PrometheusMetrics();
    const metrics = dialogueMetrics(prom);
    const engine = await LlamaEngine.load({ modelPath, threads: 1, sequences: 2 });
    queue = new DialogueQueue(engine, { concurrency: engine.sequences, maxDepth: 8, metrics });
    const q = queue;
    const results = await Promise.all(
      ['tavern', 'market', 'gate', 'tavern'].map((sceneId, i) => collect(q, innkeeperRequest({ sceneId, seed: i }))),
    );
    for (const r of results) expectWellFormed(r.events);
    expect(await prom.read('stagecraft_dialogue_first_token_ms_count')).toBe(4);
    expect(await prom.read('stagecraft_dialogue_tokens_per_second_count')).toBe(4);
    const ok = await prom.read('stagecraft_dialogue_generations_total', { outcome: 'ok' });
    const cut = await prom.read('stagecraft_dialogue_generations_total', { outcome: 'truncated' });
    expect(ok + cut).toBe(4);
    expect(await prom.text()).toContain('stagecraft_dialogue_first_token_ms_bucket');
  });
});
