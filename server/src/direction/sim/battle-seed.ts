/**
 * The seed of battle `i` of a run from `seed`: a 32-bit hash of both (murmur3's finaliser), so
 * runs from neighbouring seeds share no battles, as `seed + i` would. `--replay` takes it back.
 */
export function battleSeed(seed: number, i: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca77)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
