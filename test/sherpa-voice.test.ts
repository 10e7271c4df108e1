import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect, EndReason } from '@stagecraft/sdk';
import { sharedModel } from '../server/src/engines/tts/test-support/shared-models.js';
import { writePiperFixture } from '../server/src/engines/tts/test-support/vits-fixture.js';
import { startTestServer, type TestServer } from './support/server.js';

// The sherpa-onnx path end to end: a generated VITS-shaped fixture stands in for a Piper voice
// (no real voice is available to tests); what is tested is loading, streaming and the wire.
const tokens = sharedModel('tts-espeak-ng-data/piper-tokens.txt');
const data = sharedModel('tts-espeak-ng-data/espeak-ng-data');
const missing = !tokens.ok ? tokens.reason : !data.ok ? data.reason : undefined;
if (missing) console.warn(`sherpa-onnx end-to-end test skipped: ${missing}`);

const root = mkdtempSync(path.join(tmpdir(), 'stagecraft-sherpa-e2e-'));
let server: TestServer | undefined;

beforeAll(async () => {
  if (missing || !tokens.ok || !data.ok) return;
  const modelsDir = path.join(root, 'models');
  const scenesDir = path.join(root, 'scenes');
  mkdirSync(path.join(modelsDir, 'tts'), { recursive: true });
  mkdirSync(scenesDir);
  symlinkSync(data.path, path.join(modelsDir, 'tts', 'espeak-ng-data'));
  writePiperFixture(modelsDir, 'fixture-voice', readFileSync(tokens.path, 'utf8'));
  writeFileSync(
    path.join(scenesDir, 'radio.yaml'),
    'id: radio\ncast:\n  - { id: announcer, tier: silver, voice: "piper:fixture-voice" }\n',
  );
  server = await startTestServer({ scenesDir, env: { STAGECRAFT_MODELS_DIR: modelsDir } });
});

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

(missing ? describe.skip : describe)('sherpa-onnx voice in a scene', () => {
  it('streams a performance from the piper engine that an SDK client writes to a WAV of the same length', async () => {
    const scene = await connect(server?.url ?? '').joinScene('radio', { role: 'game' });
    const performance = await scene.say('announcer', 'Good evening. Here is the news from the valley.');
    expect(performance.start.engine).toBe('piper');
    const end = await performance.ended;
    expect(end.reason).toBe(EndReason.COMPLETED);
    const chunks = performance.audio.snapshot();
    const samples = chunks.reduce((n, c) => n + c.pcm.byteLength / 2, 0);
    const wav = await performance.wav();
    expect((wav.byteLength - 44) / 2).toBe(samples);
    expect(Math.abs((samples / performance.start.sampleRate) * 1000 - end.durationMs)).toBeLessThanOrEqual(2);
    expect(performance.visemes.snapshot().flatMap((v) => v.visemes).length).toBeGreaterThan(3);
    await scene.leave();
  });
});
