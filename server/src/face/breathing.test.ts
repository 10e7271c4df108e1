import { describe, expect, it } from '@jest/globals';
import { BREATH_MS } from './breathing.js';
import { generateFace } from './face-timeline.js';
import { w } from './test-support/face-fixtures.js';

describe('breathing', () => {
  it('keeps an idle face moving a little, on a slow cycle', () => {
    const { frames } = generateFace({ visemes: [], emotions: [], durationMs: 12_000, fps: 30, seed: 4 });
    const jaw = frames.map((f) => w(f, 'jawOpen'));
    const brow = frames.map((f) => w(f, 'browInnerUp'));
    expect(Math.max(...jaw)).toBeGreaterThan(0.01);
    expect(Math.max(...jaw)).toBeLessThan(0.05);
    expect(Math.max(...brow) - Math.min(...brow)).toBeGreaterThan(0.01);
    const period = (BREATH_MS * 30) / 1000;
    for (let i = 0; i + period < jaw.length; i++) expect(jaw[i + period]).toBeCloseTo(jaw[i] as number, 4);
  });
});
