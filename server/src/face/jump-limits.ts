import { BLENDSHAPE_COUNT, BLENDSHAPE_INDEX } from '@stagecraft/protocol';

/**
 * The most any weight of a generated face changes per ms, by channel class. Eyelids
 * (eyeBlinkLeft/Right) must be able to blink: a lid may close fully in 25 ms. Every other
 * channel (mouth, jaw, brows, cheeks, gaze…) moves at most 0.009 per ms, about a full jaw drop
 * in 110 ms. The generator guarantees these on every pair of consecutive frames it emits,
 * at any frame rate and expressiveness.
 */
export const MAX_STEP_PER_MS = { eyelids: 0.04, other: 0.009 } as const;

/** {@link MAX_STEP_PER_MS} between two consecutive frames at 30 fps (halve it at 60 fps). */
export const MAX_STEP_PER_FRAME_30FPS = { eyelids: 1, other: 0.3 } as const;

const EYELIDS = new Set([BLENDSHAPE_INDEX.eyeBlinkLeft, BLENDSHAPE_INDEX.eyeBlinkRight]);

/** The largest allowed change of each of the 52 channels between two frames at `fps`. */
export function maxStepPerFrame(fps: number): Float32Array {
  const frameMs = 1000 / fps;
  const out = new Float32Array(BLENDSHAPE_COUNT);
  for (let k = 0; k < BLENDSHAPE_COUNT; k++)
    out[k] = Math.min(1, (EYELIDS.has(k) ? MAX_STEP_PER_MS.eyelids : MAX_STEP_PER_MS.other) * frameMs);
  return out;
}

/**
 * Frames (`count × 52`) → the same frames with no channel moving more than
 * {@link maxStepPerFrame} from the frame before; `previous` is the frame before the first one
 * (none: the first frame is kept as it is). Where a channel would move faster it moves at the
 * limit and catches up over the next frames.
 */
export function limitSteps(weights: Float32Array, previous: Float32Array | null, fps: number): Float32Array {
  const limit = maxStepPerFrame(fps);
  const out = new Float32Array(weights.length);
  for (let base = 0; base < weights.length; base += BLENDSHAPE_COUNT) {
    for (let k = 0; k < BLENDSHAPE_COUNT; k++) {
      const x = weights[base + k] as number;
      const prev = base === 0 ? previous?.[k] : out[base - BLENDSHAPE_COUNT + k];
      if (prev === undefined) {
        out[base + k] = x;
        continue;
      }
      const l = limit[k] as number;
      out[base + k] = Math.min(prev + l, Math.max(prev - l, x));
    }
  }
  return out;
}
