import type { Timed } from '../media/timed.js';
import { AU_COUNT, AU_INDEX, type AuTrack, emptyAuTrack } from './action-units.js';
import { easeInOut } from './easing.js';
import type { Rng } from './rng.js';

/** Start-to-start distance between two blinks, ms. */
export const BLINK_GAP_MS = { min: 2000, max: 10000 } as const;
/** Length of one blink (close, hold, open), ms. */
export const BLINK_LENGTH_MS = { min: 130, max: 170 } as const;

const CLOSE = 0.35;
const HOLD = 0.1;
const AU45 = AU_INDEX.AU45;

/** When the first blink of a fresh face starts, ms. */
export function firstBlinkMs(rng: Rng): number {
  return 300 + rng.next() * 2700;
}

/**
 * Blinks from `nextMs` (the start of the next blink) until `untilMs`: each blink is a span whose
 * value is its depth (0.85..1), each gap drawn from {@link BLINK_GAP_MS}, short gaps more likely
 * (about 13 blinks a minute). Returns where the following blink will start, so planning can go on
 * later with the same `rng` and give the same blinks as planning in one go.
 */
export function planBlinks(rng: Rng, nextMs: number, untilMs: number): { blinks: Timed<number>[]; nextMs: number } {
  const blinks: Timed<number>[] = [];
  let at = nextMs;
  while (at < untilMs) {
    const length = BLINK_LENGTH_MS.min + rng.next() * (BLINK_LENGTH_MS.max - BLINK_LENGTH_MS.min);
    const depth = 0.85 + rng.next() * 0.15;
    const gap = BLINK_GAP_MS.min + (BLINK_GAP_MS.max - BLINK_GAP_MS.min) * rng.next() ** 2;
    blinks.push({ startMs: at, endMs: at + length, value: depth });
    at += gap;
  }
  return { blinks, nextMs: at };
}

/** Lid closure of one blink at `tMs`: a quick close, a short hold, a slower open. */
export function blinkClosure(blink: Timed<number>, tMs: number): number {
  const length = blink.endMs - blink.startMs;
  const x = (tMs - blink.startMs) / length;
  if (x <= 0 || x >= 1) return 0;
  if (x < CLOSE) return blink.value * easeInOut(x / CLOSE);
  if (x < CLOSE + HOLD) return blink.value;
  return blink.value * (1 - easeInOut((x - CLOSE - HOLD) / (1 - CLOSE - HOLD)));
}

/** Blinks → AU45 (blink) per frame. */
export function blinkAus(blinks: readonly Timed<number>[], times: Float64Array): AuTrack {
  const out = emptyAuTrack(times);
  let lo = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i] as number;
    while (lo < blinks.length && (blinks[lo] as Timed<number>).endMs <= t) lo++;
    let v = 0;
    for (let j = lo; j < blinks.length && (blinks[j] as Timed<number>).startMs < t; j++)
      v = Math.max(v, blinkClosure(blinks[j] as Timed<number>, t));
    out.values[i * AU_COUNT + AU45] = v;
  }
  return out;
}
