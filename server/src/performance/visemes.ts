import type { VisemeEvent } from '../media/frames.js';
import type { Timed } from '../media/timed.js';
import { type VisemeTable, visemeTable } from './viseme-table.js';

/**
 * Phoneme timeline → viseme timeline. A phoneme that maps to several visemes splits its time
 * evenly; neighbours with the same viseme merge.
 */
export function phonemesToVisemes(
  phonemes: readonly Timed<string>[],
  table: VisemeTable = visemeTable(),
): VisemeEvent[] {
  const out: VisemeEvent[] = [];
  for (const p of phonemes) {
    const visemes = table.lookup(p.value);
    const step = (p.endMs - p.startMs) / visemes.length;
    visemes.forEach((viseme, i) => {
      const startMs = p.startMs + i * step;
      const endMs = i === visemes.length - 1 ? p.endMs : startMs + step;
      const last = out[out.length - 1];
      if (last && last.value === viseme && Math.abs(last.endMs - startMs) < 1e-6) last.endMs = endMs;
      else out.push({ startMs, endMs, value: viseme, weight: table.weight(viseme) });
    });
  }
  return out;
}
