import { readFileSync } from 'node:fs';
import { sharedModel } from '../../engines/tts/test-support/shared-models.js';
import { buildVitsModel } from '../../engines/tts/test-support/vits-fixture.js';

/** A few Piper phonemes, for tests that do not speak (the shared tokens.txt has all 130). */
const SMALL_TOKENS = '_ 0\n^ 1\n$ 2\n  3\n. 10\na 14\nh 20\nl 24\no 27\nə 59\nˈ 120\n';

/** The standard Piper tokens.txt from the shared models when present, else a small table. */
export function piperTokens(): { text: string; shared: boolean } {
  const shared = sharedModel('tts-espeak-ng-data/piper-tokens.txt');
  return shared.ok ? { text: readFileSync(shared.path, 'utf8'), shared: true } : { text: SMALL_TOKENS, shared: false };
}

/** Symbol → [id] as a Piper `.onnx.json` lists it. */
export function phonemeIdMap(tokensTxt: string): Record<string, number[]> {
  const map: Record<string, number[]> = {};
  for (const line of tokensTxt.split('\n')) {
    const m = /^(.+) (\d+)$/u.exec(line);
    if (m) map[m[1] as string] = [Number(m[2])];
  }
  return map;
}

/**
 * The two files of a Piper voice as rhasspy/piper-voices publishes them: a VITS-shaped ONNX
 * graph without sherpa-onnx metadata (the generated fixture, not a voice) and its `.onnx.json`.
 */
export function piperVoiceFiles(tokensTxt: string): { onnx: Uint8Array; json: Uint8Array } {
  const config = {
    audio: { sample_rate: 22_050, quality: 'medium' },
    espeak: { voice: 'en-us' },
    inference: { noise_scale: 0.667, length_scale: 1, noise_w: 0.8 },
    phoneme_type: 'espeak',
    phoneme_map: {},
    phoneme_id_map: phonemeIdMap(tokensTxt),
    num_symbols: 256,
    num_speakers: 1,
    speaker_id_map: {},
    language: { code: 'en_US', family: 'en', region: 'US', name_native: 'English', name_english: 'English' },
    dataset: 'fixture',
  };
  return { onnx: buildVitsModel(tokensTxt), json: Buffer.from(`${JSON.stringify(config, null, 2)}\n`) };
}

/** Bytes that start like a GGUF file (magic, version 3) followed by deterministic filler. */
export function fakeGguf(size = 200_000): Uint8Array {
  const out = Buffer.alloc(size);
  out.write('GGUF', 0, 'latin1');
  out.writeUInt32LE(3, 4);
  let x = 12345;
  for (let i = 8; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}
