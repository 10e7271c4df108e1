import { describe, expect, it } from '@jest/globals';
import { AU_COUNT, AU_INDEX } from './action-units.js';
import { ANTICIPATION_MS, coarticulate } from './coarticulate.js';
import { generateFace } from './face-timeline.js';
import { frameAt, visemeLine, w } from './test-support/face-fixtures.js';

const times = (fromMs: number, toMs: number, stepMs = 5) =>
  Float64Array.from({ length: Math.ceil((toMs - fromMs) / stepMs) }, (_, i) => fromMs + i * stepMs);
const au = (values: Float32Array, i: number, code: keyof typeof AU_INDEX) =>
  values[i * AU_COUNT + AU_INDEX[code]] as number;

describe('coarticulate', () => {
  it('opens the jaw on open vowels and closes the lips at bilabials between them', () => {
    for (const fps of [30, 60]) {
      const visemes = visemeLine([
        ['sil', 200],
        ['aa', 150],
        ['PP', 80],
        ['aa', 150],
        ['PP', 50],
        ['aa', 150],
        ['sil', 300],
      ]);
      const { frames } = generateFace({ visemes, emotions: [], durationMs: 1100, fps, seed: 3 });
      for (const v of visemes) {
        const f = frameAt(frames, fps, (v.startMs + v.endMs) / 2);
        if (v.value === 'aa') expect(w(f, 'jawOpen')).toBeGreaterThan(0.3);
        if (v.value === 'PP') {
          expect(w(f, 'jawOpen')).toBeLessThan(0.1);
          expect(Math.max(w(f, 'mouthClose'), w(f, 'mouthPressLeft'), w(f, 'mouthPressRight'))).toBeGreaterThan(0.3);
        }
      }
    }
  });

  it('ramps the next viseme in before its onset and lets the last one decay after its end', () => {
    const visemes = visemeLine([
      ['sil', 400],
      ['ou', 200],
      ['sil', 400],
    ]);
    const t = times(0, 1000);
    const { aus } = coarticulate(visemes, t);
    const pucker = (ms: number) => au(aus.values, ms / 5, 'AU18');
    expect(pucker(400 - ANTICIPATION_MS - 10)).toBe(0);
    expect(pucker(340)).toBeGreaterThan(0.02);
    expect(pucker(400)).toBeGreaterThan(pucker(370));
    expect(pucker(500)).toBeGreaterThan(0.6);
    expect(pucker(630)).toBeGreaterThan(0.05);
    expect(pucker(700)).toBe(0);
    for (let i = 1; i < t.length; i++) expect(Math.abs(pucker(i * 5) - pucker((i - 1) * 5))).toBeLessThan(0.06);
  });

  it('lets a weak consonant take the lip rounding of the vowel after it', () => {
    const rounded = coarticulate(
      visemeLine([
        ['kk', 60],
        ['ou', 200],
      ]),
      Float64Array.of(30),
    );
    const spread = coarticulate(
      visemeLine([
        ['kk', 60],
        ['ih', 200],
      ]),
      Float64Array.of(30),
    );
    expect(au(rounded.aus.values, 0, 'AU18')).toBeGreaterThan(0.2);
    expect(au(spread.aus.values, 0, 'AU18')).toBe(0);
  });

  it('keeps a bilabial closed against an open neighbour (high dominance)', () => {
    const { aus } = coarticulate(
      visemeLine([
        ['aa', 150],
        ['PP', 80],
        ['aa', 150],
      ]),
      Float64Array.of(190),
    );
    expect(au(aus.values, 0, 'AU26')).toBeLessThan(0.15);
    expect(au(aus.values, 0, 'AU24')).toBeGreaterThan(0.4);
  });

  it('reports how much of the window is speech', () => {
    const { speaking } = coarticulate(
      visemeLine([
        ['sil', 500],
        ['aa', 500],
        ['sil', 500],
      ]),
      Float64Array.of(100, 750, 1400),
    );
    expect(Array.from(speaking)).toEqual([0, 1, 0]);
  });
});
