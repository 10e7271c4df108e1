import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { DialogueError } from './dialogue.js';
import { LlamaChildEngine, type LlamaChildEngineOptions } from './llama-child-engine.js';
import { dialogueConformance, expectWellFormed } from './test-support/dialogue-conformance.js';
import { writeGarbageGguf, writeZeroLayerGguf } from './test-support/malformed-gguf.js';
import { sourceHost } from './test-support/source-host.js';
import { collect, innkeeperRequest, storiesModel } from './test-support/stories-model.js';

// The host runs from its TypeScript source through swc (test-support/source-host.ts), so these
// tests need no build; the compiled host in dist is what the benchmark and the server run.
// Each test forks at least one host (node, swc, node-llama-cpp: a few seconds on 2 busy cores).
jest.setTimeout(90_000);
const skip = storiesModel.ok ? undefined : storiesModel.reason;
const modelPath = storiesModel.ok ? storiesModel.path : '';
const dir = mkdtempSync(path.join(os.tmpdir(), 'stagecraft-dialogue-'));
const engines: LlamaChildEngine[] = [];
const make = (options: Partial<LlamaChildEngineOptions> = {}) => {
  const engine = new LlamaChildEngine({ modelPath, threads: 1, host: sourceHost(), ...options });
  engines.push(engine);
  return engine;
};
afterAll(async () => {
  for (const e of engines) await e.close();
  rmSync(dir, { recursive: true, force: true });
});

dialogueConformance('node-llama-cpp in a child process (stories260K)', async () => make(), skip);

describe('llama child engine: bad models', () => {
  it('fails with an error naming a garbage file with a GGUF header, and this process goes on', async () => {
    const file = path.join(dir, 'garbage.gguf');
    writeGarbageGguf(file);
    const engine = make({ modelPath: file });
    const failure = await collect(engine, innkeeperRequest()).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(DialogueError);
    expect(failure).toMatchObject({ code: 'unavailable', retryable: false });
    expect((failure as Error).message).toContain(`cannot load model ${file}`);
    expect(engine.hostPid).toBeUndefined();
    // The failure is kept: no new host is forked for every request.
    await expect(collect(engine, innkeeperRequest())).rejects.toBe(failure);
  });

  (skip ? it.skip : it)('reports a model whose loading aborts the host process', async () => {
    const file = path.join(dir, 'zero-layers.gguf');
    writeZeroLayerGguf(modelPath, file);
    const failure = await make({ modelPath: file })
      .load()
      .catch((err: unknown) => err);
    expect(failure).toMatchObject({ code: 'unavailable', retryable: false });
    const message = (failure as Error).message;
    expect(message).toContain(`cannot load model ${file}: the model host was killed by SIGABRT while loading it`);
    expect(message).toContain('GGML_ASSERT');
  });

  it('names a host entry that does not exist', async () => {
    const engine = make({ host: { entry: path.join(dir, 'missing-host.js') } });
    await expect(engine.load()).rejects.toThrow(/model host .*missing-host\.js not found/);
  });
});

if (skip) console.warn(`[skip] llama child engine tests: ${skip}`);
(skip ? describe.skip : describe)('llama child engine', () => {
  it('fails a generation whose host dies as retryable engine-failed, then starts a new host', async () => {
    const engine = make();
    await engine.load();
    const first = engine.hostPid;
    const stream = engine.generate(innkeeperRequest({ seed: 2, maxTokens: 400 }))[Symbol.asyncIterator]();
    expect((await stream.next()).done).toBe(false);
    process.kill(first ?? 0, 'SIGKILL');
    let caught: unknown;
    try {
      while (!(await stream.next()).done) {}
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: 'engine-failed', retryable: true });
    expect((caught as Error).message).toContain('killed by SIGKILL during generation');
    expectWellFormed((await collect(engine, innkeeperRequest({ seed: 3 }))).events);
    expect(engine.hostPid).not.toBe(first);
  });

  it('runs two generations at once in one host', async () => {
    const engine = make({ sequences: 2 });
    const [a, b] = await Promise.all([
      collect(engine, innkeeperRequest({ seed: 11 })),
      collect(engine, innkeeperRequest({ seed: 12, sceneId: 'market' })),
    ]);
    expectWellFormed(a.events);
    expectWellFormed(b.events);
  });

  it('stops the host on close', async () => {
    const engine = make();
    await engine.load();
    const pid = engine.hostPid ?? 0;
    await engine.close();
    expect(() => process.kill(pid, 0)).toThrow();
    await expect(collect(engine, innkeeperRequest())).rejects.toMatchObject({ code: 'unavailable' });
  });
});
