import type { CompiledPack, Guard } from './compiled-pack.js';

/** Whether a phase can be reached at all, and the earliest scene time it can start. */
export interface PhaseReach {
  reachable: boolean;
  earliestMs: number;
}

/**
 * The earliest time each phase can start: from its enter condition (unless `blocked` says it
 * can never hold) or from the deadline of a phase before it. Conditions on health, counters
 * and the like can hold at any time, so they count from zero.
 */
export function reachOf(pack: CompiledPack, blocked: (g: Guard) => boolean): PhaseReach[] {
  const phases = pack.timing.phases;
  const earliest = phases.map((_, i) => (i === 0 ? 0 : Number.POSITIVE_INFINITY));
  const guardEarliest = (g: Guard): number => {
    switch (g.guard) {
      case 'never':
        return Number.POSITIVE_INFINITY;
      case 'elapsedAtLeast':
        return g.ms;
      case 'phaseReached':
        return earliest[g.index] ?? Number.POSITIVE_INFINITY;
      case 'all':
        return Math.max(0, ...g.of.map(guardEarliest));
      case 'any':
        return Math.min(...g.of.map(guardEarliest));
      default:
        return 0;
    }
  };
  for (let round = 0; round <= phases.length; round++) {
    let changed = false;
    phases.forEach((ph, i) => {
      if (i === 0) return;
      let best = earliest[i] ?? Number.POSITIVE_INFINITY;
      if (ph.enter && !blocked(ph.enter)) best = Math.min(best, guardEarliest(ph.enter));
      phases.forEach((from, j) => {
        if (from.deadlineMs === null) return;
        const leadsHere =
          (from.atDeadline.kind === 'next' && j + 1 === i) ||
          (from.atDeadline.kind === 'goto' && from.atDeadline.index === i);
        if (leadsHere) best = Math.min(best, (earliest[j] ?? Number.POSITIVE_INFINITY) + from.deadlineMs);
      });
      if (best < (earliest[i] ?? Number.POSITIVE_INFINITY)) {
        earliest[i] = best;
        changed = true;
      }
    });
    if (!changed) break;
  }
  return earliest.map((ms) => ({ reachable: Number.isFinite(ms), earliestMs: Number.isFinite(ms) ? ms : 0 }));
}
