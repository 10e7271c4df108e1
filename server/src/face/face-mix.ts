import { BLENDSHAPE_COUNT } from '@stagecraft/protocol';
import { ACTION_UNITS, AU_COUNT, type AuTrack, addArkit } from './action-units.js';

/** Everything that moves the face over the same frame times. */
export interface FaceParts {
  /** Mouth, jaw and tongue from the visemes. */
  speech: AuTrack;
  /** 0..1 per frame: how much the NPC is speaking. */
  speaking: Float32Array;
  emotion: AuTrack;
  /** Blinks, saccades and breathing. */
  life: AuTrack[];
}

/** Scales of speech and emotion amplitude for a cast member's expressiveness (0..2, 1 = as authored). */
export function expressivenessGains(expressiveness: number): { speech: number; emotion: number } {
  return { speech: 0.5 + 0.5 * expressiveness, emotion: expressiveness };
}

const SPEECH_OWNED = ACTION_UNITS.map((au) => au.group === 'lips' || au.group === 'jaw' || au.group === 'tongue');

/**
 * Parts → ARKit weights (`count × 52`), clamped to 0..1. Speech AUs are scaled by the speech gain;
 * emotion and life AUs add on top, except that their lip, jaw and tongue units fade out while
 * the NPC speaks (speech owns the mouth; corners, brows, eyes and cheeks stay).
 */
export function mixFace(parts: FaceParts, expressiveness: number): Float32Array {
  const gains = expressivenessGains(expressiveness);
  const count = parts.speech.times.length;
  const aus = new Float32Array(AU_COUNT);
  const out = new Float32Array(count * BLENDSHAPE_COUNT);
  for (let i = 0; i < count; i++) {
    const base = i * AU_COUNT;
    const free = 1 - (parts.speaking[i] as number);
    for (let a = 0; a < AU_COUNT; a++) {
      let extra = (parts.emotion.values[base + a] as number) * gains.emotion;
      for (const life of parts.life) extra += life.values[base + a] as number;
      aus[a] = (parts.speech.values[base + a] as number) * gains.speech + (SPEECH_OWNED[a] ? extra * free : extra);
    }
    addArkit(aus, 0, out, i * BLENDSHAPE_COUNT);
  }
  for (let k = 0; k < out.length; k++) out[k] = Math.min(1, Math.max(0, out[k] as number));
  return out;
}
