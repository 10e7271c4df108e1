import { it } from '@jest/globals';
import { espeakAvailability } from '../espeak-engine.js';

const found = espeakAvailability();

/** `it` for tests that speak through espeak-ng: skipped, with the reason printed, when it is not installed. */
export function espeakIt(what: string): typeof it {
  if (found.ok) return it;
  console.warn(`[skip] ${what} needs espeak-ng: ${found.reason}`);
  return it.skip as typeof it;
}
