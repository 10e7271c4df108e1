import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { withAlignedTiming } from './aligned-timing.js';
import { EspeakEngine, espeakAvailability } from './espeak-engine.js';
import { SherpaEngine } from './sherpa-engine.js';
import { sharedModel } from './test-support/shared-models.js';
import { ttsConformance } from './test-support/tts-conformance.js';
import { writePiperFixture } from './test-support/vits-fixture.js';
import { DEFAULT_VOICE_SETTINGS, TtsError } from './tts.js';

const tokens = sharedModel('tts-espeak-ng-data/piper-tokens.txt');
const data = sharedModel('tts-espeak-ng-data/espeak-ng-data');
const modelsDir = mkdtempSync(path.join(os.tmpdir(), 'stagecraft-sherpa-'));
const espeak = new EspeakEngine();
afterAll(async () => {
  await espeak.close();
  rmSync(modelsDir, { recursive: true, force: true });
});

function make(): SherpaEngine | string {
  if (!tokens.ok) return tokens.reason;
  if (!data.ok) return data.reason;
  writePiperFixture(modelsDir, 'fixture-voice', readFileSync(tokens.path, 'utf8'));
  return new SherpaEngine({ modelsDir, family: 'piper', espeakDataDir: data.path });
}
const sherpa = make();

const espeakFound = espeakAvailability();
const conformanceSkip =
  typeof sherpa === 'string' ? sherpa : espeakFound.ok ? undefined : `alignment reference: ${espeakFound.reason}`;
ttsConformance(
  'sherpa-onnx piper (generated VITS fixture) with aligned timing',
  async () => {
    if (typeof sherpa === 'string') return { skip: sherpa };
    return { engine: withAlignedTiming(sherpa, espeak, (v) => ({ ...v, voice: 'en-us' })), voice: 'fixture-voice' };
  },
  conformanceSkip,
);
if (typeof sherpa === 'string') console.warn(`[skip] sherpa-onnx engine tests: ${sherpa}`);
const sherpaIt = typeof sherpa === 'string' ? it.skip : it;
const engine = (): SherpaEngine => {
  if (typeof sherpa === 'string') throw new Error(sherpa);
  return sherpa;
};

describe('sherpa-onnx engine', () => {
  sherpaIt('lists voices from the models directory layout and loads each once', async () => {
    const sherpa = engine();
    expect(await sherpa.voices()).toEqual([{ voice: 'fixture-voice', language: 'fixture', speakers: 1 }]);
    const voice = { ...DEFAULT_VOICE_SETTINGS, voice: 'fixture-voice' };
    const a = await sherpa.synthesize({ text: 'Hello there.', voice });
    const b = await sherpa.synthesize({ text: 'Hello there.', voice });
    expect(a.timing).toBe('none');
    expect(a.sampleRate).toBe(22_050);
    expect(Buffer.from(a.samples.buffer).equals(Buffer.from(b.samples.buffer))).toBe(true);
  });

  sherpaIt('names the folder it looked in when a voice is missing or broken', async () => {
    const err = await engine()
      .synthesize({ text: 'Hi.', voice: { ...DEFAULT_VOICE_SETTINGS, voice: '../etc' } })
      .catch((e) => e);
    expect(err).toBeInstanceOf(TtsError);
    expect((err as TtsError).code).toBe('unknown-voice');
  });
});
