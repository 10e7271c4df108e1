import { AU_COUNT, AU_INDEX, type AuTrack, emptyAuTrack } from './action-units.js';

/** One breath, ms. */
export const BREATH_MS = 4000;

/** AU intensity at the top of each breath: a hint of jaw, brow and cheek, never a pose. */
const BREATH = [
  [AU_INDEX.AU26, 0.02],
  [AU_INDEX.AU25, 0.02],
  [AU_INDEX.AU1, 0.015],
  [AU_INDEX.AU6, 0.01],
] as const;

/** Idle micro-motion per frame: a slow sine on a {@link BREATH_MS} cycle, offset by `phaseMs`. */
export function breathingAus(times: Float64Array, phaseMs: number): AuTrack {
  const out = emptyAuTrack(times);
  for (let i = 0; i < times.length; i++) {
    const b = 0.5 - 0.5 * Math.cos((2 * Math.PI * ((times[i] as number) + phaseMs)) / BREATH_MS);
    for (const [a, v] of BREATH) out.values[i * AU_COUNT + a] = b * v;
  }
  return out;
}
