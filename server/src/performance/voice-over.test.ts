import { afterAll, describe, expect, it } from '@jest/globals';
import wavefile from 'wavefile';
import { EspeakEngine } from '../engines/tts/espeak-engine.js';
import { espeakIt } from '../engines/tts/test-support/espeak-it.js';
import { DEFAULT_VOICE_SETTINGS } from '../engines/tts/tts.js';
import type { AudioFrame, VisemesFrame } from '../media/frames.js';
import { collect } from './test-support/stage-harness.js';
import { speakRecording } from './voice-over.js';

const espeak = new EspeakEngine();
afterAll(() => espeak.close());
const voice = { ...DEFAULT_VOICE_SETTINGS, voice: 'en-us' };
const TEXT = 'The bridge is out, so take the mountain road.';

async function recordedWav(): Promise<Uint8Array> {
  const s = await espeak.synthesize({ text: TEXT, voice: { ...voice, speed: 1.2 } });
  const file = new wavefile.WaveFile();
  file.fromScratch(
    1,
    s.sampleRate,
    '16',
    Int16Array.from(s.samples, (v) => Math.round(v * 32767)),
  );
  return file.toBuffer();
}

describe('recorded voice-over', () => {
  espeakIt('the voice-over test')(
    'a WAV with its text becomes a performance with aligned visemes; without text, with visemes heard in the audio',
    async () => {
      const wav = await recordedWav();
      for (const text of [TEXT, undefined]) {
        const frames = await collect(
          speakRecording(
            { npcId: 'n', wav, text },
            { reference: { engine: espeak, voice }, sampleRate: 16_000, leadMs: 60_000 },
          ).frames,
        );
        const audio = frames.filter((f): f is AudioFrame => f.kind === 'audio');
        const visemes = frames.filter((f): f is VisemesFrame => f.kind === 'visemes').flatMap((f) => f.visemes);
        expect(audio[0]?.sampleRate).toBe(16_000);
        expect(audio[0]?.pcm.length).toBe(320);
        const total = audio.reduce((s, a) => s + a.durationMs, 0);
        expect(Math.abs((visemes[visemes.length - 1]?.endMs ?? 0) - total)).toBeLessThan(50);
        expect(new Set(visemes.map((v) => v.value)).size).toBeGreaterThan(5);
        expect(frames[frames.length - 1]).toMatchObject({ kind: 'end', reason: 'completed' });
      }
    },
  );

  it('ends a broken file with end(failed) and a clear message', async () => {
    const frames = await collect(speakRecording({ npcId: 'n', wav: new Uint8Array([1, 2, 3]) }, {}).frames);
    expect(frames[frames.length - 1]).toMatchObject({
      kind: 'end',
      reason: 'failed',
      message: expect.stringContaining('WAV'),
    });
  });
});
