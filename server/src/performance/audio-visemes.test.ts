import { afterAll, describe, expect } from '@jest/globals';
import { EspeakEngine } from '../engines/tts/espeak-engine.js';
import { espeakIt } from '../engines/tts/test-support/espeak-it.js';
import { DEFAULT_VOICE_SETTINGS } from '../engines/tts/tts.js';
import { audioVisemes } from './audio-visemes.js';
import { phonemesToVisemes } from './visemes.js';

const espeak = new EspeakEngine();
afterAll(() => espeak.close());
const it = espeakIt('the audio viseme test');

describe('audioVisemes (HeadAudio)', () => {
  it('hears speech and silence where espeak-ng says they are, with varied visemes in the speech', async () => {
    const speech = await espeak.synthesize({
      text: 'Mama made a map. Then we walked home.',
      voice: { ...DEFAULT_VOICE_SETTINGS, voice: 'en-us' },
    });
    // Half a second of silence on both sides.
    const pad = Math.round(speech.sampleRate / 2);
    const samples = new Float32Array(speech.samples.length + 2 * pad);
    samples.set(speech.samples, pad);
    const heard = await audioVisemes(samples, speech.sampleRate);
    const durationMs = (samples.length * 1000) / speech.sampleRate;
    expect(heard[0]?.startMs).toBe(0);
    expect(heard[heard.length - 1]?.endMs).toBeCloseTo(durationMs, 6);
    for (let i = 1; i < heard.length; i++) expect(heard[i]?.startMs).toBeCloseTo(heard[i - 1]?.endMs ?? -1, 6);
    expect(new Set(heard.map((v) => v.value)).size).toBeGreaterThan(5);

    // Speech or silence, every 10 ms: the reference is espeak's own phoneme timing.
    const reference = phonemesToVisemes(speech.phonemes).map((v) => ({
      ...v,
      startMs: v.startMs + 500,
      endMs: v.endMs + 500,
    }));
    const at = (list: { startMs: number; endMs: number; value: string }[], ms: number) =>
      list.find((v) => v.startMs <= ms && ms < v.endMs)?.value ?? 'sil';
    let agree = 0;
    let n = 0;
    for (let ms = 0; ms < durationMs; ms += 10, n++)
      if ((at(heard, ms) === 'sil') === (at(reference, ms) === 'sil')) agree++;
    expect(agree / n).toBeGreaterThan(0.75);
  });
});
