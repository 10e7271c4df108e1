import { describe, expect, it } from '@jest/globals';
import { BLINK_GAP_MS, BLINK_LENGTH_MS, blinkClosure, planBlinks } from './blinks.js';
import { generateFace } from './face-timeline.js';
import { seededRng } from './rng.js';
import { w } from './test-support/face-fixtures.js';

/** Times at which eyeBlinkLeft rises through 0.5. */
function blinkOnsets(seed: number, fps: number): number[] {
  const { frames } = generateFace({ visemes: [], emotions: [], durationMs: 60_000, fps, seed });
  const onsets: number[] = [];
  for (let i = 1; i < frames.length; i++)
    if (w(frames[i], 'eyeBlinkLeft') >= 0.5 && w(frames[i - 1], 'eyeBlinkLeft') < 0.5) onsets.push(frames[i]?.tMs ?? 0);
  return onsets;
}

describe('blinks', () => {
  it('blink 2–10 s apart over a minute, every one closing the lids', () => {
    for (const fps of [30, 60])
      for (const seed of [1, 2, 3, 42]) {
        const onsets = blinkOnsets(seed, fps);
        expect(onsets.length).toBeGreaterThanOrEqual(6);
        expect(onsets.length).toBeLessThanOrEqual(31);
        const frameMs = 1000 / fps;
        for (let i = 1; i < onsets.length; i++) {
          const gap = (onsets[i] as number) - (onsets[i - 1] as number);
          expect(gap).toBeGreaterThanOrEqual(BLINK_GAP_MS.min - frameMs - 15);
          expect(gap).toBeLessThanOrEqual(BLINK_GAP_MS.max + frameMs + 15);
        }
      }
  });

  it('plans the same blinks in pieces as in one go', () => {
    const whole = planBlinks(seededRng(5), 500, 60_000).blinks;
    const rng = seededRng(5);
    const a = planBlinks(rng, 500, 20_000);
    const b = planBlinks(rng, a.nextMs, 60_000);
    expect([...a.blinks, ...b.blinks]).toEqual(whole);
    for (const blink of whole) {
      expect(blink.endMs - blink.startMs).toBeGreaterThanOrEqual(BLINK_LENGTH_MS.min);
      expect(blink.endMs - blink.startMs).toBeLessThanOrEqual(BLINK_LENGTH_MS.max);
    }
  });

  it('closes quickly, holds, and opens more slowly', () => {
    const blink = { startMs: 0, endMs: 150, value: 1 };
    expect(blinkClosure(blink, 0)).toBe(0);
    expect(blinkClosure(blink, 57)).toBe(1);
    expect(blinkClosure(blink, 150)).toBe(0);
    expect(blinkClosure(blink, 26)).toBeCloseTo(0.5, 1);
    expect(blinkClosure(blink, 110)).toBeGreaterThan(0.3);
  });
});
