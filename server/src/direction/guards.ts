import type { Guard } from './compiled-pack.js';
import { actorOf, isOut, type WorldState } from './world-state.js';

/** Evaluates a named guard against the scene; `selfId` stands in for `npc: 'self'`. */
export function evalGuard(g: Guard, s: WorldState, selfId: string): boolean {
  switch (g.guard) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'elapsedAtLeast':
      return s.nowMs >= g.ms;
    case 'healthBelow': {
      const a = actorOf(s, g.npc === 'self' ? selfId : g.npc);
      return a !== undefined && a.health < g.fraction * a.maxHealth;
    }
    case 'isDown': {
      const a = actorOf(s, g.npc === 'self' ? selfId : g.npc);
      return a !== undefined && isOut(a);
    }
    case 'counterAtLeast':
      return (Object.hasOwn(s.counters, g.counter) ? (s.counters[g.counter] ?? 0) : 0) >= g.value;
    case 'phaseReached':
      return s.phaseIndex >= g.index;
    case 'inPhase':
      return g.indexes.includes(s.phaseIndex);
    case 'resolved':
      return s.resolution !== null;
    case 'all':
      for (const x of g.of) if (!evalGuard(x, s, selfId)) return false;
      return true;
    case 'any':
      for (const x of g.of) if (evalGuard(x, s, selfId)) return true;
      return false;
    case 'not':
      return !evalGuard(g.of, s, selfId);
  }
}

/** Whether the guard reads the NPC it is evaluated for (`npc: self`); if not, one value serves every NPC. */
export function readsSelf(g: Guard): boolean {
  switch (g.guard) {
    case 'healthBelow':
    case 'isDown':
      return g.npc === 'self';
    case 'all':
    case 'any':
      return g.of.some(readsSelf);
    case 'not':
      return readsSelf(g.of);
    default:
      return false;
  }
}
