import { afterAll, describe, expect, it } from '@jest/globals';
import type { Timed } from '../../media/timed.js';
import { alignPhonemes, speechRuns } from './align-timing.js';
import { EspeakEngine } from './espeak-engine.js';
import { espeakIt } from './test-support/espeak-it.js';
import { DEFAULT_VOICE_SETTINGS, PAUSE } from './tts.js';

const engine = new EspeakEngine();
afterAll(() => engine.close());

/** Mean absolute onset error between two timelines of the same phonemes, ms. */
export function onsetError(truth: Timed<string>[], estimate: Timed<string>[]): number {
  const a = truth.filter((p) => p.value !== PAUSE);
  const b = estimate.filter((p) => p.value !== PAUSE);
  const n = Math.min(a.length, b.length);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs((a[i] as Timed<string>).startMs - (b[i] as Timed<string>).startMs);
  return n === 0 ? Number.NaN : sum / n;
}

describe('alignPhonemes', () => {
  espeakIt('the alignment test')(
    'moves reference timing onto audio of another speed with a small onset error',
    async () => {
      const text = 'Welcome to Riverwood, stranger. The dragons are back, and the Jarl wants to see you now!';
      const voice = { ...DEFAULT_VOICE_SETTINGS, voice: 'en-us' };
      const ref = await engine.synthesize({ text, voice });
      const errors: number[] = [];
      for (const speed of [0.8, 1.3, 1.6]) {
        const target = await engine.synthesize({ text, voice: { ...voice, speed } });
        const aligned = alignPhonemes(
          ref.phonemes,
          speechRuns(ref.samples, ref.sampleRate),
          target.samples,
          target.sampleRate,
        );
        const durationMs = (target.samples.length * 1000) / target.sampleRate;
        expect(aligned[0]?.startMs).toBe(0);
        expect(aligned[aligned.length - 1]?.endMs).toBeCloseTo(durationMs);
        errors.push(onsetError(target.phonemes, aligned));
      }
      console.info(
        `alignment onset error vs espeak-ng's own timing, ms: ${errors.map((e) => e.toFixed(1)).join(', ')}`,
      );
      for (const e of errors) expect(e).toBeLessThan(40);
    },
  );

  it('covers audio it cannot segment with a linear map', () => {
    const samples = new Float32Array(22050).fill(0.3);
    const ref: Timed<string>[] = [
      { startMs: 0, endMs: 100, value: 'a' },
      { startMs: 100, endMs: 500, value: 'b' },
    ];
    const out = alignPhonemes(ref, [[0, 500]], samples, 22050);
    expect(out.map((p) => p.value)).toEqual(['a', 'b']);
    expect(out[1]?.startMs).toBeCloseTo(200, -1);
    expect(out[1]?.endMs).toBeCloseTo(1000);
  });
});
