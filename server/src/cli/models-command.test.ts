import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { type FixtureServer, startFixtureServer } from '../models/test-support/fixture-server.js';
import { fakeGguf, piperTokens, piperVoiceFiles } from '../models/test-support/model-fixtures.js';
import { sha256Bytes } from '../models/verify.js';
import { modelsCommand } from './models-command.js';

const voice = piperVoiceFiles(piperTokens().text);
const gguf = fakeGguf();
let server: FixtureServer;
let dir: string;
let out = '';
let err = '';
const savedEnv = { dir: process.env.STAGECRAFT_MODELS_DIR, mirror: process.env.STAGECRAFT_MODELS_MIRROR };

beforeAll(async () => {
  server = await startFixtureServer();
  server.set('/files/tiny.gguf', gguf);
  server.set('/files/voice.onnx', voice.onnx);
  server.set('/files/voice.onnx.json', voice.json);
  // The built-in catalogue's upstream path, served with a file that is not the pinned one.
  server.set('/rhasspy/piper-voices/resolve/v1.0.0/en/en_US/lessac/medium/en_US-lessac-medium.onnx', voice.onnx);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'stagecraft-models-cli-'));
  out = '';
  err = '';
  process.exitCode = 0;
  delete process.env.STAGECRAFT_MODELS_DIR;
  delete process.env.STAGECRAFT_MODELS_MIRROR;
  server.requests.length = 0;
  jest.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
});
afterEach(() => {
  jest.restoreAllMocks();
  process.exitCode = 0;
  rmSync(dir, { recursive: true, force: true });
  for (const [key, value] of [
    ['STAGECRAFT_MODELS_DIR', savedEnv.dir],
    ['STAGECRAFT_MODELS_MIRROR', savedEnv.mirror],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

async function run(...args: string[]): Promise<number> {
  await modelsCommand().exitOverride().parseAsync(args, { from: 'user' });
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return code;
}

describe('stagecraft models pull', () => {
  it('pulls a GGUF by --url and --sha256 with progress on stderr, then says it is already there', async () => {
    const args = ['pull', '--url', `${server.url}/files/tiny.gguf`, '--sha256', sha256Bytes(gguf)];
    expect(await run(...args, '--name', 'tiny', '--kind', 'gguf', '--models-dir', dir)).toBe(0);
    const file = path.join(dir, 'llm', 'tiny.gguf');
    expect(out).toBe(`installed tiny at ${file}\nlicence: unknown (pulled with --url)\n`);
    expect(err).toContain('tiny.gguf: downloading 200.0 kB\n');
    expect(err).toContain('tiny.gguf: 200.0 kB of 200.0 kB (100%) in ');
    expect(err).toContain(`tiny.gguf: sha256 ${sha256Bytes(gguf)} verified\n`);

    out = '';
    process.env.STAGECRAFT_MODELS_DIR = dir;
    expect(await run(...args, '--name', 'tiny', '--kind', 'gguf')).toBe(0);
    expect(out).toBe(`tiny is already installed at ${file}, sha256 verified\n`);
    expect(server.requests).toHaveLength(1);
  });

  it('pulls a Piper voice from a catalogue file through STAGECRAFT_MODELS_MIRROR', async () => {
    const catalogue = path.join(dir, 'ours.json');
    const upstream = 'https://huggingface.co/files';
    writeFileSync(
      catalogue,
      JSON.stringify({
        entries: [
          {
            name: 'en_US-ours-medium',
            kind: 'piper-voice',
            description: 'our voice',
            licence: 'CC0-1.0',
            files: [
              {
                role: 'model',
                url: `${upstream}/voice.onnx`,
                sha256: sha256Bytes(voice.onnx),
                source: 'release notes',
              },
              {
                role: 'config',
                url: `${upstream}/voice.onnx.json`,
                sha256: sha256Bytes(voice.json),
                source: 'release notes',
              },
            ],
          },
        ],
      }),
    );
    process.env.STAGECRAFT_MODELS_MIRROR = server.url;
    const models = path.join(dir, 'models');
    expect(await run('pull', 'en_US-ours-medium', '--catalogue', catalogue, '--models-dir', models)).toBe(0);
    const voiceDir = path.join(models, 'tts', 'piper', 'en_US-ours-medium');
    expect(out).toBe(
      `installed en_US-ours-medium at ${voiceDir} (cast voice: piper:en_US-ours-medium)\nlicence: CC0-1.0\n`,
    );
    expect(err).toContain(`note: Piper voices need espeak-ng data at ${path.join(models, 'tts', 'espeak-ng-data')}`);
    expect(readdirSync(voiceDir)).toContain('tokens.txt');

    out = '';
    expect(await run('list', '--catalogue', catalogue, '--models-dir', models)).toBe(0);
    expect(out).toContain(`en_US-ours-medium  piper-voice  `);
    expect(out).toContain(`installed at ${voiceDir}\n  our voice\n  licence: CC0-1.0\n`);
  });

  it('pulls a Piper voice by --url, taking the config from <url>.json', async () => {
    const args = ['pull', '--url', `${server.url}/files/voice.onnx`, '--sha256', sha256Bytes(voice.onnx)];
    args.push('--config-sha256', sha256Bytes(voice.json), '--name', 'my-voice', '--kind', 'piper-voice');
    expect(await run(...args, '--models-dir', dir)).toBe(0);
    expect(existsSync(path.join(dir, 'tts', 'piper', 'my-voice', 'model.onnx'))).toBe(true);
  });

  it('checks the built-in pins against what a mirror serves and installs nothing that differs', async () => {
    expect(await run('pull', 'en_US-lessac-medium', '--models-dir', dir, '--mirror', `${server.url}/`)).toBe(1);
    expect(server.requests.map((r) => r.path)).toEqual([
      '/rhasspy/piper-voices/resolve/v1.0.0/en/en_US/lessac/medium/en_US-lessac-medium.onnx',
    ]);
    expect(err).toContain(`error: en_US-lessac-medium.onnx: ${server.url}/rhasspy/piper-voices/resolve/v1.0.0/`);
    expect(err).toContain(`is ${voice.onnx.length} bytes, the pin says 63201294`);
    expect(out).toBe('');
    expect(existsSync(path.join(dir, 'tts'))).toBe(false);
  });

  it('suggests the catalogue name that was probably meant', async () => {
    expect(await run('pull', 'en_US-lessac-medum', '--models-dir', dir)).toBe(1);
    expect(err).toMatch(
      /^error: "en_US-lessac-medum" is not in the catalogue \(did you mean "en_US-lessac-medium"\?\)/,
    );
  });

  it('refuses a --url without a sha256, and a pull without a models directory', async () => {
    expect(await run('pull', '--url', `${server.url}/files/tiny.gguf`, '--models-dir', dir)).toBe(1);
    expect(err).toBe(
      'error: --url needs --sha256, --name, --kind: nothing is installed without a sha256 to check it against\n',
    );
    err = '';
    expect(await run('pull', 'en_US-lessac-medium')).toBe(1);
    expect(err).toBe('error: no models directory: set STAGECRAFT_MODELS_DIR or pass --models-dir <dir>\n');
    expect(server.requests).toEqual([]);
  });
});

describe('stagecraft models list', () => {
  it('shows each catalogue entry with its size and licence', async () => {
    expect(await run('list', '--models-dir', dir)).toBe(0);
    expect(out).toContain('en_US-lessac-medium           piper-voice   63.2 MB  not installed\n');
    expect(out).toContain('qwen2.5-0.5b-instruct-q4_k_m  gguf         491.4 MB  not installed\n');
    expect(out).toContain('  licence: Apache-2.0\n');
    out = '';
    expect(await run('list', '--json')).toBe(0);
    const entries = JSON.parse(out) as { name: string; installed: string | null }[];
    expect(entries.map((e) => e.installed)).toEqual([null, null, null]);
  });
});
