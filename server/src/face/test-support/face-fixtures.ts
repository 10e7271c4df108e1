import { BLENDSHAPE_INDEX, type BlendshapeName, EMOTIONS, VISEMES, type VisemeName } from '@stagecraft/protocol';
import fc from 'fast-check';
import { type VisemeEvent } from '../../media/frames.js';
import type { Timed } from '../../media/timed.js';
import type { EmotionValue } from '../emotion-track.js';
import type { FaceFrame } from '../face-timeline.js';

/** Back-to-back visemes from [viseme, durationMs] pairs, starting at `startMs`. */
export function visemeLine(steps: readonly [VisemeName, number][], startMs = 0, weight = 1): VisemeEvent[] {
  let t = startMs;
  return steps.map(([value, d]) => {
    const e = { startMs: t, endMs: t + d, value, weight };
    t += d;
    return e;
  });
}

/** The value of one named channel in a frame. */
export function w(frame: FaceFrame | undefined, name: BlendshapeName): number {
  if (!frame) throw new Error('no frame');
  return frame.weights[BLENDSHAPE_INDEX[name]] as number;
}

/** The frame nearest `tMs`. */
export function frameAt(frames: readonly FaceFrame[], fps: number, tMs: number): FaceFrame | undefined {
  return frames[Math.min(frames.length - 1, Math.max(0, Math.round((tMs * fps) / 1000)))];
}

/** Mean of one channel over frames in [fromMs, toMs). */
export function mean(frames: readonly FaceFrame[], name: BlendshapeName, fromMs: number, toMs: number): number {
  const inside = frames.filter((f) => f.tMs >= fromMs && f.tMs < toMs);
  return inside.reduce((s, f) => s + w(f, name), 0) / inside.length;
}

/** Random speech: visemes of 25–250 ms, occasional pauses, some with gaps between them. */
export const visemeSequence = fc
  .array(
    fc.record({
      value: fc.constantFrom(...VISEMES),
      durationMs: fc.integer({ min: 25, max: 250 }),
      gapMs: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 400 })),
      weight: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((steps) => {
    let t = 0;
    return steps.map((s): VisemeEvent => {
      t += s.gapMs;
      const e = { startMs: t, endMs: t + s.durationMs, value: s.value, weight: s.weight };
      t += s.durationMs;
      return e;
    });
  });

/** Random emotion spans over 0..6 s. */
export const emotionTrack = fc
  .array(
    fc.record({
      emotion: fc.constantFrom(...EMOTIONS),
      intensity: fc.double({ min: 0, max: 1, noNaN: true }),
      durationMs: fc.integer({ min: 50, max: 2000 }),
      gapMs: fc.integer({ min: 0, max: 500 }),
    }),
    { maxLength: 5 },
  )
  .map((spans) => {
    let t = 0;
    return spans.map((s): Timed<EmotionValue> => {
      t += s.gapMs;
      const e = { startMs: t, endMs: t + s.durationMs, value: { emotion: s.emotion, intensity: s.intensity } };
      t += s.durationMs;
      return e;
    });
  });
