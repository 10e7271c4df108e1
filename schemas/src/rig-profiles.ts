import { ARKIT_BLENDSHAPES, BLENDSHAPE_COUNT, BLENDSHAPE_INDEX } from './blendshapes.js';
import { GENERIC, LIVE_LINK } from './rig-profiles/arkit-names.js';
import { METAHUMAN } from './rig-profiles/metahuman.js';
import type { BlendshapeName } from './vocabulary.js';

/**
 * How one face rig names its curves: for each ARKit blendshape, the rig curves it drives and by
 * how much (a curve driven by several blendshapes gets the sum, clamped to 0..1).
 */
export interface RigProfile {
  name: string;
  description: string;
  curves: Record<BlendshapeName, Readonly<Record<string, number>>>;
}

/** The profiles that ship, by name. */
export const RIG_PROFILES = {
  metahuman: METAHUMAN,
  generic: GENERIC,
  livelink: LIVE_LINK,
} as const satisfies Readonly<Record<string, RigProfile>>;

/** Channels expressiveness leaves alone: a blink closes fully and gaze is aim, not expression. */
const UNSCALED = new Set(
  ARKIT_BLENDSHAPES.flatMap((name, i) => (name.startsWith('eyeBlink') || name.startsWith('eyeLook') ? [i] : [])),
);

/**
 * 52 ARKit weights → the same weights scaled by a cast member's expressiveness (0..2; 1 leaves
 * them as they are), clamped to 0..1. Blinks and gaze are not scaled. Scaling multiplies
 * frame-to-frame jumps by the same factor.
 */
export function scaleExpressiveness(weights: Float32Array, expressiveness: number): Float32Array {
  if (!(expressiveness >= 0 && expressiveness <= 2))
    throw new RangeError(`expressiveness: ${expressiveness} is not in 0..2`);
  const out = new Float32Array(BLENDSHAPE_COUNT);
  for (let k = 0; k < BLENDSHAPE_COUNT; k++) {
    const w = weights[k] ?? 0;
    out[k] = Math.min(1, Math.max(0, UNSCALED.has(k) ? w : w * expressiveness));
  }
  return out;
}

/** Throws an Error naming the profile and field when a profile misses a blendshape or has a bad weight. */
export function checkRigProfile(profile: RigProfile): void {
  for (const name of ARKIT_BLENDSHAPES) {
    const curves = profile.curves[name];
    if (!curves) throw new Error(`rig profile "${profile.name}": curves.${name} is missing`);
    for (const [curve, w] of Object.entries(curves)) {
      if (curve === '') throw new Error(`rig profile "${profile.name}": curves.${name} has an empty curve name`);
      if (!Number.isFinite(w))
        throw new Error(`rig profile "${profile.name}": curves.${name}.${curve} is not a number`);
    }
  }
}

/** Every curve a profile drives, sorted: what an engine binds once before playing frames. */
export function rigCurveNames(profile: RigProfile): string[] {
  return [...new Set(ARKIT_BLENDSHAPES.flatMap((name) => Object.keys(profile.curves[name])))].sort();
}

/**
 * One frame of 52 ARKit weights → the rig's curve values (0..1), after
 * {@link scaleExpressiveness}. Every curve of the profile is present in the result.
 */
export function applyRigProfile(
  weights: Float32Array,
  profile: RigProfile,
  expressiveness = 1,
): Record<string, number> {
  const scaled = scaleExpressiveness(weights, expressiveness);
  const out: Record<string, number> = {};
  for (const name of ARKIT_BLENDSHAPES) {
    const w = scaled[BLENDSHAPE_INDEX[name]] as number;
    for (const [curve, k] of Object.entries(profile.curves[name])) out[curve] = (out[curve] ?? 0) + w * k;
  }
  for (const curve of Object.keys(out)) out[curve] = Math.min(1, Math.max(0, out[curve] as number));
  return out;
}
