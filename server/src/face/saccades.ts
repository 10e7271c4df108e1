import type { Timed } from '../media/timed.js';
import { AU_COUNT, AU_INDEX, type AuTrack, emptyAuTrack } from './action-units.js';
import { easeInOut } from './easing.js';
import type { Rng } from './rng.js';

/** Where the eyes point: x > 0 is the character's right, y > 0 is up; ±1 is as far as ARKit goes. */
export interface Gaze {
  x: number;
  y: number;
}

/** One saccade: the eyes move from `from` to `to` over [startMs, endMs), then hold. */
export type Saccade = Timed<{ from: Gaze; to: Gaze }>;

/** Time between saccades, ms. */
export const SACCADE_GAP_MS = { min: 600, max: 2500 } as const;
/** How long one saccade takes, ms. */
export const SACCADE_MS = 40;
/** Largest gaze offset a saccade picks: small shifts around the conversation partner. */
export const SACCADE_REACH = { x: 0.1, y: 0.06 } as const;

/**
 * Saccades starting at `nextMs` until `untilMs`, each from the gaze the last one reached.
 * Returns where the following one starts and the gaze it starts from, so planning can go on later
 * with the same `rng` and give the same saccades as planning in one go.
 */
export function planSaccades(
  rng: Rng,
  nextMs: number,
  untilMs: number,
  from: Gaze,
): { saccades: Saccade[]; nextMs: number; gaze: Gaze } {
  const saccades: Saccade[] = [];
  let at = nextMs;
  let gaze = from;
  while (at < untilMs) {
    const to = { x: (rng.next() * 2 - 1) * SACCADE_REACH.x, y: (rng.next() * 2 - 1) * SACCADE_REACH.y };
    saccades.push({ startMs: at, endMs: at + SACCADE_MS, value: { from: gaze, to } });
    gaze = to;
    at += SACCADE_GAP_MS.min + rng.next() * (SACCADE_GAP_MS.max - SACCADE_GAP_MS.min);
  }
  return { saccades, nextMs: at, gaze };
}

/** Saccades → gaze AUs (AU61–AU64) per frame; before the first saccade the eyes look at `start`. */
export function gazeAus(saccades: readonly Saccade[], times: Float64Array, start: Gaze): AuTrack {
  const out = emptyAuTrack(times);
  let k = -1;
  for (let i = 0; i < times.length; i++) {
    const t = times[i] as number;
    while (k + 1 < saccades.length && (saccades[k + 1] as Saccade).startMs <= t) k++;
    const s = saccades[k];
    let gaze = start;
    if (s) {
      const e = easeInOut((t - s.startMs) / (s.endMs - s.startMs));
      gaze = {
        x: s.value.from.x + (s.value.to.x - s.value.from.x) * e,
        y: s.value.from.y + (s.value.to.y - s.value.from.y) * e,
      };
    }
    const base = i * AU_COUNT;
    out.values[base + AU_INDEX.AU61] = Math.max(0, -gaze.x);
    out.values[base + AU_INDEX.AU62] = Math.max(0, gaze.x);
    out.values[base + AU_INDEX.AU63] = Math.max(0, gaze.y);
    out.values[base + AU_INDEX.AU64] = Math.max(0, -gaze.y);
  }
  return out;
}
