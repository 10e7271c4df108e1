import { describe, expect, it } from '@jest/globals';
import { ARKIT_BLENDSHAPES, BLENDSHAPE_COUNT } from '@stagecraft/protocol';
import fc from 'fast-check';
import type { VisemeEvent } from '../media/frames.js';
import type { Timed } from '../media/timed.js';
import type { EmotionValue } from './emotion-track.js';
import {
  createFaceState,
  FACE_LOOKAHEAD_MS,
  type FaceFrame,
  type FaceOptions,
  generateFace,
  generateFaceWindow,
  sampleFace,
} from './face-timeline.js';
import { MAX_STEP_PER_FRAME_30FPS, maxStepPerFrame } from './jump-limits.js';
import { emotionTrack, frameAt, visemeLine, visemeSequence, w } from './test-support/face-fixtures.js';

const settings = fc.record({
  fps: fc.constantFrom(30, 60),
  seed: fc.integer(),
  expressiveness: fc.double({ min: 0, max: 2, noNaN: true }),
});

const lastEnd = (visemes: readonly { endMs: number }[]) => Math.max(0, ...visemes.map((v) => v.endMs));

describe('generateFace', () => {
  it('keeps every weight in 0..1 and within the jump limits, seals every bilabial and opens the jaw on aa', () => {
    fc.assert(
      fc.property(visemeSequence, emotionTrack, settings, (visemes, emotions, s) => {
        const durationMs = Math.max(lastEnd(visemes), lastEnd(emotions)) + 200;
        const { frames } = generateFace({ visemes, emotions, durationMs, ...s });
        expect(frames).toHaveLength(Math.ceil((durationMs * s.fps) / 1000));
        const limit = maxStepPerFrame(s.fps);
        const problems: string[] = [];
        frames.forEach((f, i) => {
          if (f.tMs !== (i * 1000) / s.fps) problems.push(`frame ${i} at ${f.tMs} ms`);
          for (let k = 0; k < BLENDSHAPE_COUNT; k++) {
            const v = f.weights[k] as number;
            if (!(v >= 0 && v <= 1)) problems.push(`frame ${i} ${ARKIT_BLENDSHAPES[k]} = ${v}`);
            const prev = frames[i - 1]?.weights[k];
            if (prev !== undefined && Math.abs(v - prev) > (limit[k] as number) + 1e-6)
              problems.push(`frame ${i} ${ARKIT_BLENDSHAPES[k]} jumps ${prev} → ${v}`);
          }
        });
        expect(problems).toEqual([]);
        for (const v of visemes) {
          const f = frameAt(frames, s.fps, (v.startMs + v.endMs) / 2);
          if (v.value === 'PP' && v.weight > 0) {
            expect(w(f, 'jawOpen')).toBeLessThan(0.1);
            expect(Math.min(w(f, 'mouthPressLeft'), w(f, 'mouthPressRight'))).toBeGreaterThan(0.3);
          }
          // Shorter open vowels next to a bilabial undershoot, as they do in fast speech.
          if (v.value === 'aa' && v.weight === 1 && v.endMs - v.startMs >= 120 && s.expressiveness >= 1)
            expect(w(f, 'jawOpen')).toBeGreaterThan(0.3);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('documents the 30 fps limits that maxStepPerFrame enforces', () => {
    const limit = maxStepPerFrame(30);
    expect(limit[0]).toBeCloseTo(MAX_STEP_PER_FRAME_30FPS.eyelids); // eyeBlinkLeft
    expect(limit[17]).toBeCloseTo(MAX_STEP_PER_FRAME_30FPS.other); // jawOpen
    expect(maxStepPerFrame(60)[17]).toBeCloseTo(MAX_STEP_PER_FRAME_30FPS.other / 2);
  });

  it('is deterministic for a seed', () => {
    const input = {
      visemes: visemeLine([
        ['aa', 200],
        ['PP', 80],
        ['ou', 200],
      ]),
      emotions: [],
      durationMs: 8000,
      fps: 30,
    };
    const a = generateFace({ ...input, seed: 7 });
    const b = generateFace({ ...input, seed: 7 });
    const c = generateFace({ ...input, seed: 8 });
    expect(a.frames.map((f) => Array.from(f.weights))).toEqual(b.frames.map((f) => Array.from(f.weights)));
    expect(a.frames.map((f) => Array.from(f.weights))).not.toEqual(c.frames.map((f) => Array.from(f.weights)));
  });

  it('names the bad field', () => {
    const bad =
      (visemes: unknown, emotions: unknown = []) =>
      () =>
        generateFace({ visemes, emotions, durationMs: 1000, fps: 30, seed: 1 } as never);
    expect(bad([{ startMs: 0, endMs: 100, value: 'aa', weight: 1.5 }])).toThrow(
      'visemes[0].weight: 1.5 is not in 0..1',
    );
    expect(bad([{ startMs: 0, endMs: 100, value: 'zz', weight: 1 }])).toThrow('visemes[0].value: "zz"');
    expect(bad([{ startMs: 50, endMs: 10, value: 'aa', weight: 1 }])).toThrow('visemes[0].endMs');
    expect(bad([], [{ startMs: 0, endMs: 1, value: { emotion: 'glee', intensity: 1 } }])).toThrow(
      'emotions[0].value.emotion: "glee"',
    );
    expect(() =>
      generateFace({ visemes: [], emotions: [], durationMs: 10, fps: 30, seed: 1, expressiveness: 3 }),
    ).toThrow('expressiveness: 3');
  });
});

describe('generateFaceWindow', () => {
  /** Feeds the visemes clause by clause, cutting before the given viseme indexes; emotions come with the first clause. */
  function streamed(
    visemes: VisemeEvent[],
    emotions: Timed<EmotionValue>[],
    cuts: number[],
    durationMs: number,
    options: FaceOptions,
  ): FaceFrame[] {
    let state = createFaceState(options);
    const frames: FaceFrame[] = [];
    const bounds = [...new Set(cuts.map((c) => c % visemes.length))].filter((c) => c > 0).sort((a, b) => a - b);
    let from = 0;
    for (const cut of [...bounds, visemes.length]) {
      const untilMs = visemes[cut]?.startMs ?? durationMs;
      const step = generateFaceWindow(state, {
        visemes: visemes.slice(from, cut),
        emotions: from === 0 ? emotions : [],
        untilMs,
        final: cut === visemes.length,
      });
      frames.push(...step.frames);
      state = step.state;
      from = cut;
    }
    return frames;
  }

  it('gives the same frames clause by clause as in one go', () => {
    fc.assert(
      fc.property(visemeSequence, fc.array(fc.nat(), { maxLength: 6 }), settings, (visemes, cuts, s) => {
        const durationMs = lastEnd(visemes) + 300;
        const emotions = [{ startMs: 0, endMs: durationMs, value: { emotion: 'anger' as const, intensity: 0.7 } }];
        const whole = generateFace({ visemes, emotions, durationMs, ...s }).frames;
        const parts = streamed(visemes, emotions, cuts, durationMs, s);
        expect(parts.map((f) => f.tMs)).toEqual(whole.map((f) => f.tMs));
        let worst = 0;
        parts.forEach((f, i) => {
          for (let k = 0; k < BLENDSHAPE_COUNT; k++)
            worst = Math.max(worst, Math.abs((f.weights[k] as number) - (whole[i]?.weights[k] as number)));
        });
        expect(worst).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  it('holds back the frames a later clause could still change', () => {
    const state = createFaceState({ fps: 30, seed: 1 });
    const { frames } = generateFaceWindow(state, { visemes: visemeLine([['aa', 1000]]), untilMs: 1000 });
    expect(frames.length).toBe(Math.ceil(((1000 - FACE_LOOKAHEAD_MS) * 30) / 1000));
  });

  it('refuses events that arrive after their time was promised, and calls after the end', () => {
    const state = createFaceState({ fps: 30, seed: 1 });
    const next = generateFaceWindow(state, { visemes: visemeLine([['aa', 500]]), untilMs: 500 }).state;
    expect(() => generateFaceWindow(next, { visemes: visemeLine([['PP', 100]], 400), untilMs: 900 })).toThrow(
      'visemes[0].startMs: 400 is before the promised 500',
    );
    const closed = generateFaceWindow(next, { untilMs: 900, final: true }).state;
    expect(() => generateFaceWindow(closed, { untilMs: 1000 })).toThrow('closed');
    expect(next.closed).toBe(false);
  });
});

describe('sampleFace', () => {
  it('returns frames at frame times and interpolates between them', () => {
    const timeline = generateFace({
      visemes: visemeLine([
        ['sil', 100],
        ['aa', 300],
      ]),
      emotions: [],
      durationMs: 600,
      fps: 30,
      seed: 2,
    });
    const [a, b] = [timeline.frames[6], timeline.frames[7]];
    if (!a || !b) throw new Error('frames missing');
    expect(Array.from(sampleFace(timeline, a.tMs))).toEqual(Array.from(a.weights));
    const mid = sampleFace(timeline, (a.tMs + b.tMs) / 2);
    expect(mid[17]).toBeCloseTo(((a.weights[17] as number) + (b.weights[17] as number)) / 2, 5);
    expect(Array.from(sampleFace(timeline, 99_999))).toEqual(Array.from(timeline.frames.at(-1)?.weights ?? []));
  });
});
