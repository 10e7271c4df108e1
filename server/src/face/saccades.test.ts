import { describe, expect, it } from '@jest/globals';
import { AU_COUNT, AU_INDEX } from './action-units.js';
import { generateFace } from './face-timeline.js';
import { seededRng } from './rng.js';
import { gazeAus, planSaccades, SACCADE_GAP_MS, SACCADE_REACH } from './saccades.js';
import { w } from './test-support/face-fixtures.js';

describe('saccades', () => {
  it('move the eyes in small, quick shifts at natural intervals', () => {
    const { saccades } = planSaccades(seededRng(3), 500, 30_000, { x: 0, y: 0 });
    expect(saccades.length).toBeGreaterThan(30_000 / SACCADE_GAP_MS.max - 1);
    for (let i = 1; i < saccades.length; i++) {
      const gap = (saccades[i]?.startMs ?? 0) - (saccades[i - 1]?.startMs ?? 0);
      expect(gap).toBeGreaterThanOrEqual(SACCADE_GAP_MS.min);
      expect(gap).toBeLessThanOrEqual(SACCADE_GAP_MS.max);
      expect(saccades[i]?.value.from).toEqual(saccades[i - 1]?.value.to);
    }
    for (const s of saccades) {
      expect(Math.abs(s.value.to.x)).toBeLessThanOrEqual(SACCADE_REACH.x);
      expect(Math.abs(s.value.to.y)).toBeLessThanOrEqual(SACCADE_REACH.y);
    }
  });

  it('turn both eyes the same way', () => {
    const s = { startMs: 0, endMs: 40, value: { from: { x: 0, y: 0 }, to: { x: 0.1, y: -0.05 } } };
    const track = gazeAus([s], Float64Array.of(-10, 20, 100), { x: 0, y: 0 });
    const at = (i: number, code: 'AU61' | 'AU62' | 'AU63' | 'AU64') => track.values[i * AU_COUNT + AU_INDEX[code]];
    expect([at(0, 'AU62'), at(0, 'AU64')]).toEqual([0, 0]);
    expect(at(1, 'AU62')).toBeCloseTo(0.05);
    expect(at(2, 'AU62')).toBeCloseTo(0.1);
    expect(at(2, 'AU64')).toBeCloseTo(0.05);
    expect(at(2, 'AU61')).toBe(0);

    const { frames } = generateFace({ visemes: [], emotions: [], durationMs: 10_000, fps: 30, seed: 9 });
    const moved = frames.filter((f) => w(f, 'eyeLookInLeft') > 0 || w(f, 'eyeLookOutLeft') > 0);
    expect(moved.length).toBeGreaterThan(frames.length / 2);
    for (const f of frames) expect(w(f, 'eyeLookInLeft') * w(f, 'eyeLookOutLeft')).toBe(0);
    for (const f of frames) expect(w(f, 'eyeLookInLeft')).toBeCloseTo(w(f, 'eyeLookOutRight'));
  });
});
