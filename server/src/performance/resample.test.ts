import { describe, expect, it } from '@jest/globals';
import type { ClauseAudio } from '../media/frames.js';
import { resample } from './resample.js';
import { collect, fromArray, stageContext } from './test-support/stage-harness.js';

const tone = (hz: number, rate: number, seconds: number) =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / rate));

function zeroCrossings(x: Float32Array): number {
  let n = 0;
  for (let i = 1; i < x.length; i++) if ((x[i - 1] ?? 0) < 0 !== (x[i] ?? 0) < 0) n++;
  return n;
}

describe('resample', () => {
  it('converts a 24 kHz clause to the performance rate, keeping pitch and length, and filters what cannot be kept', async () => {
    const clause: ClauseAudio = {
      kind: 'clause',
      text: 't',
      samples: tone(440, 24_000, 1),
      sampleRate: 24_000,
      phonemes: [],
      timing: 'engine',
      engine: 'x',
    };
    const [out] = (await collect(
      resample(fromArray([clause]), { ...stageContext(), sampleRate: 22_050 }),
    )) as ClauseAudio[];
    expect(out?.sampleRate).toBe(22_050);
    expect(Math.abs((out?.samples.length ?? 0) - 22_050)).toBeLessThan(50);
    expect(Math.abs(zeroCrossings(out?.samples ?? new Float32Array()) - 880)).toBeLessThan(6);
    const above = { ...clause, samples: tone(11_500, 24_000, 0.5) };
    const [filtered] = (await collect(
      resample(fromArray([above]), { ...stageContext(), sampleRate: 22_050 }),
    )) as ClauseAudio[];
    const mid = filtered?.samples.subarray(2000, 8000) ?? new Float32Array();
    expect(Math.sqrt(mid.reduce((s, v) => s + v * v, 0) / mid.length)).toBeLessThan(0.05);
  });
});
