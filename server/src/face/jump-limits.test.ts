import { describe, expect, it } from '@jest/globals';
import { BLENDSHAPE_COUNT, BLENDSHAPE_INDEX } from '@stagecraft/protocol';
import { limitSteps, MAX_STEP_PER_MS, maxStepPerFrame } from './jump-limits.js';
import { LIP_SEAL, sealBilabials } from './lip-seal.js';

const frames = (values: number[], channel: number) => {
  const out = new Float32Array(values.length * BLENDSHAPE_COUNT);
  values.forEach((v, i) => {
    out[i * BLENDSHAPE_COUNT + channel] = v;
  });
  return out;
};
const channel = (weights: Float32Array, k: number) =>
  Array.from({ length: weights.length / BLENDSHAPE_COUNT }, (_, i) => weights[i * BLENDSHAPE_COUNT + k] as number);

describe('limitSteps', () => {
  it('moves a jumping mouth channel at the limit until it catches up; eyelids move freely at 30 fps', () => {
    const jaw = BLENDSHAPE_INDEX.jawOpen;
    const out = channel(limitSteps(frames([0, 1, 1, 1, 1], jaw), null, 30), jaw);
    expect(out.map((v) => Number(v.toFixed(4)))).toEqual([0, 0.3, 0.6, 0.9, 1]);
    const lid = BLENDSHAPE_INDEX.eyeBlinkLeft;
    expect(channel(limitSteps(frames([0, 1, 0], lid), null, 30), lid)).toEqual([0, 1, 0]);
    expect(channel(limitSteps(frames([0, 1], lid), null, 60), lid)[1]).toBeCloseTo(
      (MAX_STEP_PER_MS.eyelids * 1000) / 60,
    );
  });

  it('continues from the frame before the window', () => {
    const jaw = BLENDSHAPE_INDEX.jawOpen;
    const previous = new Float32Array(BLENDSHAPE_COUNT);
    previous[jaw] = 0.5;
    expect(channel(limitSteps(frames([0], jaw), previous, 60), jaw)[0]).toBeCloseTo(
      0.5 - (maxStepPerFrame(60)[jaw] as number),
    );
  });
});

describe('sealBilabials', () => {
  it('closes the lips at the centre of a PP and relaxes at the mouth limit around it', () => {
    const jaw = BLENDSHAPE_INDEX.jawOpen;
    const press = BLENDSHAPE_INDEX.mouthPressLeft;
    const times = Float64Array.from({ length: 21 }, (_, i) => 400 + i * 10);
    const open = frames(Array(21).fill(0.6), jaw);
    const sealed = sealBilabials(open, times, [{ startMs: 480, endMs: 520, value: 'PP', weight: 1 }]);
    const j = channel(sealed, jaw);
    expect(j[10]).toBeCloseTo(LIP_SEAL.jawOpen);
    expect(channel(sealed, press)[10]).toBeCloseTo(LIP_SEAL.press);
    expect(j[0]).toBeCloseTo(0.6);
    for (let i = 1; i < j.length; i++)
      expect(Math.abs((j[i] as number) - (j[i - 1] as number))).toBeLessThanOrEqual(MAX_STEP_PER_MS.other * 10 + 1e-6);
    expect(sealBilabials(open, times, [{ startMs: 480, endMs: 520, value: 'aa', weight: 1 }])).toEqual(open);
  });
});
