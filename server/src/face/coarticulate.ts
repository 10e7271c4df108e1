import type { VisemeEvent } from '../media/frames.js';
import { ACTION_UNITS, type ActionUnit, AU_COUNT, AU_INDEX, type AuTrack, emptyAuTrack } from './action-units.js';
import { segmentWeight } from './easing.js';
import { VISEME_SHAPES } from './viseme-shapes.js';

/** How long before its onset a viseme starts to shape the mouth, ms. */
export const ANTICIPATION_MS = 100;
/** How long after its end a viseme still shapes the mouth, ms. */
export const CARRY_OVER_MS = 70;

const REST = VISEME_SHAPES.sil.dominance;

export interface Coarticulated {
  /** Mouth, jaw and tongue AUs at each frame time. */
  aus: AuTrack;
  /** 0..1 per frame: how much of the smoothing window is speech (not silence). */
  speaking: Float32Array;
}

interface Prepared {
  startMs: number;
  endMs: number;
  speech: boolean;
  jaw: number;
  lips: number;
  /** (AU index, target × weight, holds the jaw). */
  targets: [number, number, boolean][];
}

function prepare(v: VisemeEvent): Prepared {
  const shape = VISEME_SHAPES[v.value];
  const targets = Object.entries(shape.targets).map(([code, t]): [number, number, boolean] => {
    const a = AU_INDEX[code as ActionUnit];
    const group = ACTION_UNITS[a]?.group;
    return [a, (t ?? 0) * v.weight, group === 'jaw' || group === 'tongue'];
  });
  return {
    startMs: v.startMs,
    endMs: v.endMs,
    speech: v.value !== 'sil' && v.weight > 0,
    jaw: shape.dominance.jaw,
    lips: shape.dominance.lips,
    targets,
  };
}

const JAW_AUS = ACTION_UNITS.flatMap((au, i) => (au.group === 'jaw' || au.group === 'tongue' ? [i] : []));
const LIP_AUS = ACTION_UNITS.flatMap((au, i) => (au.group === 'lips' || au.group === 'corners' ? [i] : []));

/**
 * Viseme timeline → continuous mouth AU curves (dominance blending after Cohen & Massaro).
 * Each viseme's weight at time t is its segment seen through a window reaching
 * {@link ANTICIPATION_MS} ahead and {@link CARRY_OVER_MS} back, so the next viseme ramps in before
 * its onset and the last one decays after its end, with no step anywhere. Where visemes overlap,
 * each AU is their dominance-weighted mean (jaw and lips have separate dominances); gaps between
 * visemes are rest. Lip closure at bilabials is enforced later, on the final weights (lip-seal.ts).
 * Every output frame depends only on the visemes within that window of its time.
 */
export function coarticulate(visemes: readonly VisemeEvent[], times: Float64Array): Coarticulated {
  const events = [...visemes].sort((a, b) => a.startMs - b.startMs).map(prepare);
  const aus = emptyAuTrack(times);
  const speaking = new Float32Array(times.length);
  const num = new Float64Array(AU_COUNT);
  let lo = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i] as number;
    while (lo < events.length && (events[lo] as Prepared).endMs + CARRY_OVER_MS <= t) lo++;
    num.fill(0);
    let covered = 0;
    let speech = 0;
    let denJaw = 0;
    let denLips = 0;
    for (let j = lo; j < events.length; j++) {
      const e = events[j] as Prepared;
      if (e.startMs - ANTICIPATION_MS >= t) break;
      const s = segmentWeight(t, e.startMs, e.endMs, ANTICIPATION_MS, CARRY_OVER_MS);
      if (s <= 0) continue;
      covered += s;
      if (e.speech) speech += s;
      const dj = e.jaw * s;
      const dl = e.lips * s;
      denJaw += dj;
      denLips += dl;
      for (const [a, target, jaw] of e.targets) num[a] = (num[a] as number) + (jaw ? dj : dl) * target;
    }
    const rest = Math.max(0, 1 - covered);
    denJaw += REST.jaw * rest;
    denLips += REST.lips * rest;
    const base = i * AU_COUNT;
    for (const a of JAW_AUS) aus.values[base + a] = (num[a] as number) / denJaw;
    for (const a of LIP_AUS) aus.values[base + a] = (num[a] as number) / denLips;
    speaking[i] = Math.min(1, speech);
  }
  return { aus, speaking };
}
