import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SherpaEngine } from '../engines/tts/sherpa-engine.js';
import { sharedModel } from '../engines/tts/test-support/shared-models.js';
import { DEFAULT_VOICE_SETTINGS } from '../engines/tts/tts.js';
import type { PullSpec } from './catalogue.js';
import { ModelsError } from './models-error.js';
import { readOnnxMetadata } from './piper-metadata.js';
import { streamReporter } from './progress.js';
import { mirrorUrl, pull } from './pull.js';
import { type FixtureServer, startFixtureServer } from './test-support/fixture-server.js';
import { fakeGguf, piperTokens, piperVoiceFiles } from './test-support/model-fixtures.js';
import { sha256Bytes } from './verify.js';

const tokens = piperTokens();
const voice = piperVoiceFiles(tokens.text);
const gguf = fakeGguf();
const UPSTREAM = 'https://huggingface.co/test-org/voices/resolve/0123abc/en/fixture';
const voiceSpec: PullSpec = {
  name: 'en_US-fixture-medium',
  kind: 'piper-voice',
  licence: 'test fixture',
  files: [
    {
      role: 'model',
      url: `${UPSTREAM}/voice.onnx`,
      size: voice.onnx.length,
      sha256: sha256Bytes(voice.onnx),
      source: 'test',
    },
    { role: 'config', url: `${UPSTREAM}/voice.onnx.json`, sha256: sha256Bytes(voice.json), source: 'test' },
  ],
};
const ggufSpec: PullSpec = {
  name: 'tiny-instruct-q4_k_m',
  kind: 'gguf',
  licence: 'test fixture',
  files: [
    { role: 'model', url: `${UPSTREAM}/tiny.gguf`, size: gguf.length, sha256: sha256Bytes(gguf), source: 'test' },
  ],
};

let server: FixtureServer;
let modelsDir: string;
let log = '';
const reporter = streamReporter(
  {
    write: (s: string) => {
      log += s;
      return true;
    },
  } as NodeJS.WritableStream,
  { tty: false },
);
const options = () => ({ modelsDir, mirror: server.url, reporter });
const failure = (p: Promise<unknown>) => p.then(() => new Error('expected a failure')).catch((e: unknown) => e);
const voiceDir = () => path.join(modelsDir, 'tts', 'piper', voiceSpec.name);

beforeAll(async () => {
  server = await startFixtureServer();
  server.set('/test-org/voices/resolve/0123abc/en/fixture/voice.onnx', voice.onnx);
  server.set('/test-org/voices/resolve/0123abc/en/fixture/voice.onnx.json', voice.json);
  server.set('/test-org/voices/resolve/0123abc/en/fixture/tiny.gguf', gguf);
});
afterAll(async () => {
  await server.close();
  rmSync(modelsDir, { recursive: true, force: true });
});
beforeEach(() => {
  modelsDir = mkdtempSync(path.join(os.tmpdir(), 'stagecraft-pull-'));
  server.requests.length = 0;
  log = '';
});

describe('pull a Piper voice', () => {
  it('installs model.onnx with sherpa-onnx metadata, tokens.txt and the config where SherpaEngine looks', async () => {
    const result = await pull(voiceSpec, options());
    expect(result).toMatchObject({ status: 'installed', path: voiceDir(), voiceId: 'piper:en_US-fixture-medium' });
    expect(readdirSync(voiceDir()).sort()).toEqual([
      'en_US-fixture-medium.onnx.json',
      'model.onnx',
      'stagecraft-model.json',
      'tokens.txt',
    ]);
    expect(readOnnxMetadata(readFileSync(path.join(voiceDir(), 'model.onnx')))).toMatchObject({
      model_type: 'vits',
      comment: 'piper',
      voice: 'en-us',
      has_espeak: '1',
      sample_rate: '22050',
    });
    expect(readFileSync(path.join(voiceDir(), 'tokens.txt'), 'utf8')).toBe(tokens.text);
    expect(existsSync(path.join(modelsDir, '.partial', 'piper-voice', voiceSpec.name))).toBe(false);
    expect(server.requests.map((r) => r.path)).toEqual([
      '/test-org/voices/resolve/0123abc/en/fixture/voice.onnx',
      '/test-org/voices/resolve/0123abc/en/fixture/voice.onnx.json',
    ]);
  });

  it('a second pull verifies the installed copy and downloads nothing; --force downloads again', async () => {
    await pull(voiceSpec, options());
    const before = server.requests.length;
    expect((await pull(voiceSpec, options())).status).toBe('already-installed');
    expect(server.requests.length).toBe(before);
    expect(log).toContain(`${voiceSpec.name}: checking the installed copy at ${voiceDir()}`);
    expect((await pull(voiceSpec, { ...options(), force: true })).status).toBe('installed');
    expect(server.requests.length).toBe(before + 2);
  });

  it('will not overwrite a voice folder that changed or was not pulled, unless forced', async () => {
    await pull(voiceSpec, options());
    writeFileSync(path.join(voiceDir(), 'tokens.txt'), 'edited by hand\n');
    const err = await failure(pull(voiceSpec, options()));
    expect((err as ModelsError).code).toBe('conflict');
    expect((err as Error).message).toMatch(
      /tokens\.txt has changed since it was installed .*pass --force to replace it$/,
    );
    expect(readFileSync(path.join(voiceDir(), 'tokens.txt'), 'utf8')).toBe('edited by hand\n');
    await pull(voiceSpec, { ...options(), force: true });
    expect(readFileSync(path.join(voiceDir(), 'tokens.txt'), 'utf8')).toBe(tokens.text);
  });

  it('a hash mismatch leaves no file where the engines look and no bad download behind', async () => {
    const bad = { ...voiceSpec, files: [{ ...voiceSpec.files[0], sha256: '0'.repeat(64) } as PullSpec['files'][0]] };
    bad.files.push(voiceSpec.files[1] as PullSpec['files'][0]);
    const err = await failure(pull(bad, options()));
    expect((err as ModelsError).code).toBe('hash-mismatch');
    expect((err as Error).message).toContain(`expected ${'0'.repeat(64)}, got ${sha256Bytes(voice.onnx)}`);
    expect(existsSync(path.join(modelsDir, 'tts'))).toBe(false);
    const staging = path.join(modelsDir, '.partial', 'piper-voice', voiceSpec.name);
    expect(readdirSync(staging)).toEqual([]);
  });

  it('a 404 says which URL and leaves nothing installed', async () => {
    const missing = { ...voiceSpec, files: voiceSpec.files.map((f) => ({ ...f, url: `${f.url}.missing` })) };
    const err = await failure(pull(missing, options()));
    expect((err as ModelsError).code).toBe('http');
    expect((err as Error).message).toContain(
      `GET ${server.url}/test-org/voices/resolve/0123abc/en/fixture/voice.onnx.missing: HTTP 404`,
    );
    expect(existsSync(voiceDir())).toBe(false);
  });

  it('says where espeak-ng data has to go when the models directory has none', async () => {
    const notes = (await pull(voiceSpec, options())).notes;
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain(`Piper voices need espeak-ng data at ${path.join(modelsDir, 'tts', 'espeak-ng-data')}`);
    mkdirSync(path.join(modelsDir, 'tts', 'espeak-ng-data'));
    expect((await pull(voiceSpec, options())).notes).toEqual([]);
  });
});

describe('pull a GGUF model', () => {
  it('installs llm/<name>.gguf, and a second pull only checks its hash', async () => {
    const result = await pull(ggufSpec, options());
    const file = path.join(modelsDir, 'llm', 'tiny-instruct-q4_k_m.gguf');
    expect(result).toEqual({ status: 'installed', path: file, notes: [] });
    expect(readFileSync(file).equals(gguf)).toBe(true);
    expect((await pull(ggufSpec, options())).status).toBe('already-installed');
    expect(server.requests).toHaveLength(1);
  });

  it('will not replace a different file of the same name unless forced', async () => {
    const file = path.join(modelsDir, 'llm', 'tiny-instruct-q4_k_m.gguf');
    await pull(ggufSpec, options());
    writeFileSync(file, 'something else');
    const err = await failure(pull(ggufSpec, options()));
    expect((err as Error).message).toBe(
      `${file} is already there but its sha256 is ${sha256Bytes(Buffer.from('something else'))}, not the pinned ${sha256Bytes(gguf)}; pass --force to replace it`,
    );
    await pull(ggufSpec, { ...options(), force: true });
    expect(readFileSync(file).equals(gguf)).toBe(true);
  });
});

describe('two pulls of one model', () => {
  const lockFile = () => path.join(modelsDir, '.partial', 'gguf', `${ggufSpec.name}.lock`);
  const holdLock = (pid: number) => {
    mkdirSync(path.dirname(lockFile()), { recursive: true });
    writeFileSync(lockFile(), JSON.stringify({ pid, host: os.hostname(), since: '2026-01-01T00:00:00.000Z' }));
  };

  it('the second waits its turn: it names the pull in progress and touches nothing', async () => {
    holdLock(process.pid);
    const err = await failure(pull(ggufSpec, options()));
    expect((err as ModelsError).code).toBe('conflict');
    expect((err as ModelsError).retryable).toBe(true);
    expect((err as Error).message).toBe(
      `${ggufSpec.name} is being pulled by process ${process.pid} on ${os.hostname()}, since 2026-01-01T00:00:00.000Z; wait for it, or delete ${lockFile()} if that pull is gone`,
    );
    expect(server.requests).toEqual([]);
  });

  it('a lock left by a process that died is taken over, and released after the pull', async () => {
    holdLock(spawnSync(process.execPath, ['-e', '0']).pid as number);
    expect((await pull(ggufSpec, options())).status).toBe('installed');
    expect(existsSync(lockFile())).toBe(false);
  });
});

describe('mirrors', () => {
  it('fetch the upstream path and query from the mirror base', () => {
    expect(mirrorUrl('https://huggingface.co/a/b/resolve/v1/x.onnx?download=true', 'http://m.internal/hf/')).toBe(
      'http://m.internal/hf/a/b/resolve/v1/x.onnx?download=true',
    );
    expect(() => mirrorUrl('https://huggingface.co/a', 'ftp://m')).toThrow(ModelsError);
  });
});

const espeakData = sharedModel('tts-espeak-ng-data/espeak-ng-data');
const speakSkip = !tokens.shared
  ? 'the shared Piper tokens.txt is absent'
  : espeakData.ok
    ? undefined
    : espeakData.reason;
if (speakSkip) console.warn(`[skip] pulled voice through SherpaEngine: ${speakSkip}`);

describe('a pulled Piper voice', () => {
  (speakSkip ? it.skip : it)('loads and speaks through the real sherpa-onnx engine', async () => {
    if (!espeakData.ok) throw new Error(espeakData.reason);
    await pull(voiceSpec, options());
    const engine = new SherpaEngine({ modelsDir, family: 'piper', espeakDataDir: espeakData.path });
    expect(await engine.voices()).toEqual([{ voice: voiceSpec.name, language: 'en', speakers: 1 }]);
    const audio = await engine.synthesize({
      text: 'Welcome to Riverwood, stranger.',
      voice: { ...DEFAULT_VOICE_SETTINGS, voice: voiceSpec.name },
    });
    expect(audio.sampleRate).toBe(22_050);
    expect(audio.samples.length).toBeGreaterThan(22_050 / 2);
    expect(audio.samples.some((s) => Math.abs(s) > 0.05)).toBe(true);
  });
});
