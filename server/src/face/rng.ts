/**
 * A seeded pseudo-random source (mulberry32): `next()` returns the next number in [0, 1).
 * `seededRng(rng.state)` continues the same sequence, so a stream can store where it is.
 */
export interface Rng {
  next(): number;
  readonly state: number;
}

export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
    get state() {
      return a;
    },
  };
}
