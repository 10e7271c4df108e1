import { BLENDSHAPE_COUNT, BLENDSHAPE_INDEX as I } from '@stagecraft/protocol';
import type { VisemeEvent } from '../media/frames.js';
import { MAX_STEP_PER_MS } from './jump-limits.js';

/** At the centre of every bilabial (PP): jawOpen and the lip openers at most these, mouthPress at least. */
export const LIP_SEAL = { jawOpen: 0.04, opening: 0.05, press: 0.45 } as const;

/** Shortest stretch around a PP's centre that is held sealed, ms either side (covers the nearest 30 fps frame). */
const MIN_HOLD_MS = 17;

const OPENERS = [
  I.mouthLowerDownLeft,
  I.mouthLowerDownRight,
  I.mouthUpperUpLeft,
  I.mouthUpperUpRight,
  I.mouthFunnel,
  I.tongueOut,
];
const PRESS = [I.mouthPressLeft, I.mouthPressRight];
const RATE = MAX_STEP_PER_MS.other;

/** How far before a PP's start the seal can change a frame, ms. */
export const LIP_SEAL_REACH_MS = MIN_HOLD_MS + (1 - LIP_SEAL.jawOpen) / RATE;

function holdMs(pp: VisemeEvent): number {
  return Math.max(0.3 * (pp.endMs - pp.startMs), MIN_HOLD_MS);
}

/**
 * Final weights → the same weights with the lips closed at every bilabial, whatever the
 * neighbours, emotion or expressiveness: around each PP's centre (at least ±17 ms, so the nearest
 * 30 fps frame is inside) jawOpen and the lip openers are capped and mouthPress is raised to
 * {@link LIP_SEAL}; outside that, the cap and the floor relax at exactly the mouth's jump limit,
 * so sealing never makes a jump larger than {@link MAX_STEP_PER_MS}.
 */
export function sealBilabials(
  weights: Float32Array,
  times: Float64Array,
  visemes: readonly VisemeEvent[],
): Float32Array {
  const out = weights.slice();
  const seals = visemes
    .filter((v) => v.value === 'PP' && v.weight > 0)
    .map((v) => {
      const centre = (v.startMs + v.endMs) / 2;
      const hold = holdMs(v);
      return { centre, hold, fromMs: centre - hold - 1 / RATE, toMs: centre + hold + 1 / RATE };
    })
    .sort((a, b) => a.fromMs - b.fromMs);
  let lo = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i] as number;
    const base = i * BLENDSHAPE_COUNT;
    while (lo < seals.length && (seals[lo]?.toMs ?? 0) <= t) lo++;
    for (let j = lo; j < seals.length; j++) {
      const seal = seals[j];
      if (!seal || seal.fromMs >= t) break;
      const relax = RATE * Math.max(0, Math.abs(t - seal.centre) - seal.hold);
      if (relax >= 1) continue;
      out[base + I.jawOpen] = Math.min(out[base + I.jawOpen] as number, LIP_SEAL.jawOpen + relax);
      for (const k of OPENERS) out[base + k] = Math.min(out[base + k] as number, LIP_SEAL.opening + relax);
      for (const k of PRESS) out[base + k] = Math.max(out[base + k] as number, LIP_SEAL.press - relax);
    }
  }
  return out;
}
