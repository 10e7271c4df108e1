import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { DialogueError } from './dialogue.js';
import { LlamaEngine } from './llama-engine.js';
import { writeWithChatTemplate } from './test-support/chat-template-gguf.js';
import { dialogueConformance, expectWellFormed } from './test-support/dialogue-conformance.js';
import { collect, innkeeperRequest, storiesModel, streamedText } from './test-support/stories-model.js';

const skip = storiesModel.ok ? undefined : storiesModel.reason;
const modelPath = storiesModel.ok ? storiesModel.path : '';

dialogueConformance(
  'node-llama-cpp, in process (stories260K)',
  () => LlamaEngine.load({ modelPath, threads: 1 }),
  skip,
);

if (skip) console.warn(`[skip] llama engine tests: ${skip}`);
(skip ? describe.skip : describe)('llama engine', () => {
  const engines: LlamaEngine[] = [];
  const load = async (options: Partial<Parameters<typeof LlamaEngine.load>[0]> = {}) => {
    const engine = await LlamaEngine.load({ modelPath, threads: 1, ...options });
    engines.push(engine);
    return engine;
  };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stagecraft-llama-'));
  afterAll(async () => {
    for (const e of engines) await e.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads no chat template from the stories model and prompts it as a completion', async () => {
    const engine = await load();
    expect(engine.format.kind).toBe('completion');
    expect(engine.sequences).toBe(2);
  });

  it("prompts through the chat template when the GGUF carries one, and still answers in the reply's shape", async () => {
    const chatModel = path.join(dir, 'stories-chatml.gguf');
    writeWithChatTemplate(modelPath, chatModel);
    const engine = await load({ modelPath: chatModel });
    expect(engine.format.kind === 'chat' && engine.format.wrapper.wrapperName).toBe('ChatML');
    for (let seed = 1; seed <= 3; seed++) expectWellFormed((await collect(engine, innkeeperRequest({ seed }))).events);
  });

  it('repeats itself for the same seed', async () => {
    const engine = await load();
    const a = await collect(engine, innkeeperRequest({ seed: 42 }));
    const b = await collect(engine, innkeeperRequest({ seed: 42 }));
    expect(withoutTimes(b.events)).toEqual(withoutTimes(a.events));
    // The second read only the prompt's last token again: the rest was held from the first.
    const prompt = (events: typeof a.events) => events.find((e) => e.kind === 'reply')?.prompt;
    expect(prompt(a.events)).toMatchObject({ from: 0 });
    expect(prompt(b.events)).toEqual({
      tokens: prompt(a.events)?.tokens,
      read: 1,
      from: (prompt(a.events)?.tokens ?? 0) - 1,
    });
  });

  it('fails at once a request that cannot say its first words in time, and reads its prompt unheard', async () => {
    const engine = await load({ sequences: 1 });
    // A prompt read ahead measures how fast this machine reads.
    expect((await engine.readPrompt(innkeeperRequest())).read).toBeGreaterThan(100);
    const base = innkeeperRequest().prompt;
    const lore = 'The inn has stood at the crossroads for a hundred years. '.repeat(12);
    const long = innkeeperRequest({ npcId: 'lore', prompt: { ...base, system: `${base.system} ${lore}` } });
    await expect(collect(engine, { ...long, firstWordsMs: 1 })).rejects.toMatchObject({
      code: 'timeout',
      message: expect.stringMatching(/the prompt needs \d+ tokens read .* past the 1 ms deadline/),
    });
    // The next request with that prompt finds it read.
    const { events } = await collect(engine, long);
    const prompt = events.find((e) => e.kind === 'reply')?.prompt;
    expect(prompt?.tokens).toBeGreaterThan(300);
    expect(prompt?.read).toBe(1);
  });

  it('runs two generations at once on two sequences of one model', async () => {
    const engine = await load({ sequences: 2 });
    const [a, b] = await Promise.all([
      collect(engine, innkeeperRequest({ seed: 3, npcId: 'a' })),
      collect(engine, innkeeperRequest({ seed: 4, npcId: 'b', sceneId: 'market' })),
    ]);
    expectWellFormed(a.events);
    expectWellFormed(b.events);
    // Both had produced text before either finished: they ran side by side, not one after the other.
    const firstText = (r: typeof a) => r.atMs[r.events.findIndex((e) => e.kind === 'text')] ?? Infinity;
    expect(Math.max(firstText(a), firstText(b))).toBeLessThan(Math.min(a.atMs.at(-1) ?? 0, b.atMs.at(-1) ?? 0));
  });

  it('queues a third request until a sequence is free', async () => {
    const engine = await load({ sequences: 1 });
    const [a, b] = await Promise.all([
      collect(engine, innkeeperRequest({ seed: 5 })),
      collect(engine, innkeeperRequest({ seed: 6 })),
    ]);
    expectWellFormed(a.events);
    expectWellFormed(b.events);
  });

  it('closes a reply cut by the token limit with the streamed line and default fields', async () => {
    const engine = await load();
    let truncated = 0;
    for (let seed = 1; seed <= 5; seed++) {
      try {
        const { events } = await collect(engine, innkeeperRequest({ seed, maxTokens: 14 }));
        const last = events.at(-1);
        if (last?.kind !== 'reply') throw new Error('no reply');
        expect(last.truncated).toBe(true);
        expect(last.reply.line).toBe(streamedText(events));
        expect(last.reply.emotion).toBe('neutral');
        truncated++;
      } catch (err) {
        // A limit that falls before the line's first character leaves nothing to say.
        expect(err).toMatchObject({ code: 'bad-output', retryable: true });
      }
    }
    expect(truncated).toBeGreaterThan(0);
  });

  it('names the file when a model cannot be loaded', async () => {
    const bad = path.join(os.tmpdir(), `stagecraft-not-a-model-${process.pid}.gguf`);
    writeFileSync(bad, 'this is not a GGUF file');
    const failure = await LlamaEngine.load({ modelPath: bad }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(DialogueError);
    expect(failure).toMatchObject({ code: 'unavailable', retryable: false });
    expect((failure as Error).message).toContain(bad);
  });

  it('refuses requests once closed', async () => {
    const engine = await LlamaEngine.load({ modelPath, threads: 1 });
    await engine.close();
    await expect(collect(engine, innkeeperRequest())).rejects.toMatchObject({ code: 'unavailable' });
  });
});

/** A stream without its timing fields (they differ from run to run). */
function withoutTimes(events: Awaited<ReturnType<typeof collect>>['events']) {
  return events.map((e) => (e.kind === 'reply' ? { ...e, firstTokenMs: 0, totalMs: 0, prompt: undefined } : e));
}
