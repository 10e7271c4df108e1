import { BLENDSHAPE_COUNT, BLENDSHAPE_INDEX, type BlendshapeName } from '@stagecraft/protocol';

/**
 * Which part of the face an action unit moves. Speech owns `jaw`, `lips` and `tongue`;
 * emotion and life motion own the rest and only add to speech.
 */
export type AuGroup = 'brows' | 'eyes' | 'lids' | 'cheeks' | 'corners' | 'lips' | 'jaw' | 'tongue' | 'gaze';

/** The FACS action units (and action descriptors, AD) the face generator drives. */
export const ACTION_UNITS = [
  { code: 'AU1', name: 'inner brow raiser', group: 'brows' },
  { code: 'AU2', name: 'outer brow raiser', group: 'brows' },
  { code: 'AU4', name: 'brow lowerer', group: 'brows' },
  { code: 'AU5', name: 'upper lid raiser', group: 'eyes' },
  { code: 'AU6', name: 'cheek raiser', group: 'cheeks' },
  { code: 'AU7', name: 'lid tightener', group: 'eyes' },
  { code: 'AU8', name: 'lips toward each other', group: 'lips' },
  { code: 'AU9', name: 'nose wrinkler', group: 'cheeks' },
  { code: 'AU10', name: 'upper lip raiser', group: 'lips' },
  { code: 'AU12', name: 'lip corner puller', group: 'corners' },
  { code: 'AU14', name: 'dimpler', group: 'corners' },
  { code: 'AU15', name: 'lip corner depressor', group: 'corners' },
  { code: 'AU16', name: 'lower lip depressor', group: 'lips' },
  { code: 'AU17', name: 'chin raiser', group: 'lips' },
  { code: 'AU18', name: 'lip pucker', group: 'lips' },
  { code: 'AU19', name: 'tongue show', group: 'tongue' },
  { code: 'AU20', name: 'lip stretcher', group: 'corners' },
  { code: 'AU22', name: 'lip funneler', group: 'lips' },
  { code: 'AU23', name: 'lip tightener', group: 'lips' },
  { code: 'AU24', name: 'lip pressor', group: 'lips' },
  { code: 'AU25', name: 'lips part', group: 'lips' },
  { code: 'AU26', name: 'jaw drop', group: 'jaw' },
  { code: 'AU27', name: 'mouth stretch', group: 'jaw' },
  { code: 'AU28', name: 'lip suck', group: 'lips' },
  { code: 'AD32', name: 'lip bite (lower lip to upper teeth)', group: 'lips' },
  { code: 'AU43', name: 'eyes closed', group: 'lids' },
  { code: 'AU45', name: 'blink', group: 'lids' },
  { code: 'AU61', name: 'eyes turn left', group: 'gaze' },
  { code: 'AU62', name: 'eyes turn right', group: 'gaze' },
  { code: 'AU63', name: 'eyes up', group: 'gaze' },
  { code: 'AU64', name: 'eyes down', group: 'gaze' },
] as const satisfies readonly { code: string; name: string; group: AuGroup }[];

export type ActionUnit = (typeof ACTION_UNITS)[number]['code'];

export const AU_COUNT = ACTION_UNITS.length;

/** Index of each action unit in an AU vector, e.g. `AU_INDEX.AU26`. */
export const AU_INDEX = Object.fromEntries(ACTION_UNITS.map((au, i) => [au.code, i])) as Record<ActionUnit, number>;

/** AU intensities (0..1) as a partial table, the form every data table in this folder uses. */
export type AuTargets = Partial<Record<ActionUnit, number>>;

/**
 * AU → ARKit: the blendshape weights one action unit produces at intensity 1. A frame's ARKit
 * weight is the sum over AUs of intensity × weight, clamped to 0..1 at the end of the pipeline.
 * Left/right pairs move together; the gaze units are from the character's point of view
 * (AU61 turns both eyes to the character's left: the left eye looks out, the right eye in).
 */
export const AU_TO_ARKIT: Record<ActionUnit, Partial<Record<BlendshapeName, number>>> = {
  AU1: { browInnerUp: 1 },
  AU2: { browOuterUpLeft: 1, browOuterUpRight: 1 },
  AU4: { browDownLeft: 1, browDownRight: 1 },
  AU5: { eyeWideLeft: 1, eyeWideRight: 1 },
  AU6: { cheekSquintLeft: 1, cheekSquintRight: 1, eyeSquintLeft: 0.3, eyeSquintRight: 0.3 },
  AU7: { eyeSquintLeft: 1, eyeSquintRight: 1 },
  AU8: { mouthClose: 1 },
  AU9: { noseSneerLeft: 1, noseSneerRight: 1, mouthUpperUpLeft: 0.2, mouthUpperUpRight: 0.2 },
  AU10: { mouthUpperUpLeft: 1, mouthUpperUpRight: 1 },
  AU12: { mouthSmileLeft: 1, mouthSmileRight: 1 },
  AU14: { mouthDimpleLeft: 1, mouthDimpleRight: 1 },
  AU15: { mouthFrownLeft: 1, mouthFrownRight: 1 },
  AU16: { mouthLowerDownLeft: 1, mouthLowerDownRight: 1 },
  AU17: { mouthShrugLower: 1, mouthShrugUpper: 0.4 },
  AU18: { mouthPucker: 1 },
  AU19: { tongueOut: 1 },
  AU20: { mouthStretchLeft: 1, mouthStretchRight: 1 },
  AU22: { mouthFunnel: 1 },
  AU23: { mouthPressLeft: 0.5, mouthPressRight: 0.5, mouthRollLower: 0.2, mouthRollUpper: 0.2 },
  AU24: { mouthPressLeft: 1, mouthPressRight: 1 },
  AU25: { mouthLowerDownLeft: 0.3, mouthLowerDownRight: 0.3, mouthUpperUpLeft: 0.1, mouthUpperUpRight: 0.1 },
  AU26: { jawOpen: 1 },
  AU27: { jawOpen: 1, mouthStretchLeft: 0.3, mouthStretchRight: 0.3 },
  AU28: { mouthRollLower: 1, mouthRollUpper: 1 },
  AD32: { mouthRollLower: 1, mouthShrugUpper: 0.2 },
  AU43: { eyeBlinkLeft: 1, eyeBlinkRight: 1 },
  AU45: { eyeBlinkLeft: 1, eyeBlinkRight: 1 },
  AU61: { eyeLookOutLeft: 1, eyeLookInRight: 1 },
  AU62: { eyeLookInLeft: 1, eyeLookOutRight: 1 },
  AU63: { eyeLookUpLeft: 1, eyeLookUpRight: 1 },
  AU64: { eyeLookDownLeft: 1, eyeLookDownRight: 1 },
};

/** The same table as flat (AU index, ARKit index, weight) triples, for the per-frame loop. */
const PAIRS: readonly (readonly [number, number, number])[] = ACTION_UNITS.flatMap((au, a) =>
  Object.entries(AU_TO_ARKIT[au.code]).map(([shape, w]) => [a, BLENDSHAPE_INDEX[shape as BlendshapeName], w] as const),
);

/** Converts AU tables to a dense AU vector. */
export function auVector(targets: AuTargets, scale = 1): Float32Array {
  const out = new Float32Array(AU_COUNT);
  for (const [code, v] of Object.entries(targets)) out[AU_INDEX[code as ActionUnit]] = (v ?? 0) * scale;
  return out;
}

/**
 * AU intensities sampled at frame times: the intensity of AU `a` at `times[i]` is
 * `values[i * AU_COUNT + a]`.
 */
export interface AuTrack {
  times: Float64Array;
  values: Float32Array;
}

export function emptyAuTrack(times: Float64Array): AuTrack {
  return { times, values: new Float32Array(times.length * AU_COUNT) };
}

/** Adds `AU → ARKit` of one AU frame into `out` (52 weights, not clamped). */
export function addArkit(aus: Float32Array, auOffset: number, out: Float32Array, outOffset = 0): void {
  for (const [a, k, w] of PAIRS) {
    const v = aus[auOffset + a] as number;
    if (v !== 0) out[outOffset + k] = (out[outOffset + k] as number) + v * w;
  }
}

/** AU track → ARKit weights per frame (`count × 52`, not clamped). */
export function auToArkit(track: AuTrack): Float32Array {
  const out = new Float32Array(track.times.length * BLENDSHAPE_COUNT);
  for (let i = 0; i < track.times.length; i++) addArkit(track.values, i * AU_COUNT, out, i * BLENDSHAPE_COUNT);
  return out;
}
