import { afterAll, describe, expect, it } from '@jest/globals';
import { EMOTIONS, GESTURES, INTENTS } from '@stagecraft/protocol';
import { type DialogueEngine, DialogueError, type DialogueEvent } from '../dialogue.js';
import { collect, innkeeperRequest, streamedText } from './stories-model.js';

/** Checks every reply must pass: one reply, last; valid fields; text events that spell the line. */
export function expectWellFormed(events: DialogueEvent[]): void {
  const last = events.at(-1);
  if (last?.kind !== 'reply') throw new Error(`the stream did not end with a reply: ${JSON.stringify(last)}`);
  expect(events.filter((e) => e.kind === 'reply')).toHaveLength(1);
  const { reply } = last;
  expect(EMOTIONS).toContain(reply.emotion);
  expect(GESTURES).toContain(reply.gesture);
  expect(INTENTS).toContain(reply.intent);
  expect(reply.intensity).toBeGreaterThanOrEqual(0);
  expect(reply.intensity).toBeLessThanOrEqual(1);
  expect(typeof reply.line).toBe('string');
  expect(streamedText(events)).toBe(reply.line);
  expect(last.tokens).toBeGreaterThan(0);
  expect(last.firstTokenMs).toBeGreaterThanOrEqual(0);
  expect(last.firstTokenMs).toBeLessThanOrEqual(last.totalMs);
}

/**
 * The shared suite for a DialogueEngine: run it from one `*.test.ts` per engine. `skip`, when
 * given, is why the engine cannot run here: the suite is skipped and the reason printed.
 */
export function dialogueConformance(name: string, factory: () => Promise<DialogueEngine>, skip?: string): void {
  if (skip) console.warn(`[skip] dialogue conformance for ${name}: ${skip}`);
  (skip ? describe.skip : describe)(`dialogue conformance: ${name}`, () => {
    let engine: Promise<DialogueEngine> | undefined;
    const get = () => {
      engine ??= factory();
      return engine;
    };
    afterAll(async () => {
      await (await engine)?.close();
    });

    it('writes a reply that parses for 10 seeds, its line spelled by the text events', async () => {
      const e = await get();
      let lines = 0;
      for (let seed = 1; seed <= 10; seed++) {
        const { events } = await collect(e, innkeeperRequest({ seed }));
        expectWellFormed(events);
        if (events.some((ev) => ev.kind === 'text')) lines++;
      }
      expect(lines).toBeGreaterThan(0);
    });

    it('ends promptly with code aborted when the signal aborts mid-line, and serves the next request', async () => {
      const e = await get();
      const controller = new AbortController();
      const it = e.generate(innkeeperRequest({ seed: 7, maxTokens: 400 }), controller.signal)[Symbol.asyncIterator]();
      let first = await it.next();
      while (!first.done && first.value.kind !== 'text') first = await it.next();
      const t0 = performance.now();
      controller.abort();
      let caught: unknown;
      try {
        while (!(await it.next()).done) {}
      } catch (err) {
        caught = err;
      }
      expect(performance.now() - t0).toBeLessThan(500);
      expect(caught).toBeInstanceOf(DialogueError);
      expect((caught as DialogueError).code).toBe('aborted');
      expectWellFormed((await collect(e, innkeeperRequest({ seed: 8 }))).events);
    });

    it('fails at once with code aborted for a signal that is already aborted', async () => {
      const e = await get();
      const controller = new AbortController();
      controller.abort();
      await expect(collect(e, innkeeperRequest(), controller.signal)).rejects.toMatchObject({ code: 'aborted' });
    });
  });
}
