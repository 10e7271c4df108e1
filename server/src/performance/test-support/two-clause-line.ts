import type { VisemeName } from '@stagecraft/protocol';
import type { PerformanceFrame, VisemeEvent } from '../../media/frames.js';

/** Visemes of equal length over [fromMs, toMs). */
export function visemes(fromMs: number, toMs: number, names: VisemeName[]): VisemeEvent[] {
  const step = (toMs - fromMs) / names.length;
  return names.map((value, i) => ({ startMs: fromMs + i * step, endMs: fromMs + (i + 1) * step, value, weight: 1 }));
}

/** A two-clause line as the stages before the cues and the face emit it: per clause its visemes, then 20 ms chunks. */
export function twoClauseLine(): { frames: PerformanceFrame[]; clauses: VisemeEvent[][]; endMs: number } {
  const clauses = [
    visemes(0, 900, ['sil', 'aa', 'PP', 'aa', 'SS', 'E', 'nn', 'sil']),
    visemes(900, 1660, ['sil', 'oh', 'PP', 'ou', 'kk', 'aa', 'sil']),
  ];
  const frames: PerformanceFrame[] = [];
  let seq = 0;
  let at = 0;
  for (const clause of clauses) {
    frames.push({ kind: 'visemes', performanceId: 'p1', visemes: clause });
    const end = clause[clause.length - 1]?.endMs ?? 0;
    for (; at < end; at += 20)
      frames.push({
        kind: 'audio',
        performanceId: 'p1',
        seq: seq++,
        startMs: at,
        durationMs: 20,
        sampleRate: 22050,
        pcm: new Int16Array(441),
        final: at + 20 >= 1660,
      });
  }
  return { frames, clauses, endMs: 1660 };
}
