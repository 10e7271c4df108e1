import type { OutcomeName } from '@stagecraft/protocol';
import type { CompiledPack } from './compiled-pack.js';

/** One actor (NPC or the player) as the director knows it from world reports. */
export interface ActorState {
  id: string;
  role: string | null;
  faction: string | null;
  /** Hit points. */
  health: number;
  maxHealth: number;
  downed: boolean;
  dead: boolean;
  present: boolean;
  area: string | null;
  x: number | null;
  y: number | null;
}

/** How and why a battle ended. */
export interface Resolution {
  outcome: OutcomeName;
  /** The player was killed, not only downed. */
  playerDied: boolean;
  by: 'player-down' | 'enemies-down' | 'phase-deadline' | 'max-duration';
  atMs: number;
  ruleId: string;
  /** Enemies that had left the stage (fled, left, surrendered) rather than gone down. */
  left: string[];
}

/**
 * What the director knows about a scene: plain JSON, so it persists with the scene's
 * snapshot. Deadlines are absolute scene-clock ms, so a restore can re-arm them.
 */
export interface WorldState {
  /** Scene clock, ms since the scene started. */
  nowMs: number;
  playerId: string;
  actors: Record<string, ActorState>;
  /** Ids in `actors`, in arrival order: iterating this beats `for…in` over 10,000 keys. */
  actorIds: string[];
  counters: Record<string, number>;
  phaseIndex: number;
  phaseEnteredAtMs: number;
  phaseDeadlineAtMs: number | null;
  maxDeadlineAtMs: number | null;
  /** `ruleId|targetId` → flat [atMs, amount, atMs, amount, …] of damage let through. */
  damageLog: Record<string, number[]>;
  resolution: Resolution | null;
}

/** A partial update of one actor, as the game reports it. */
export interface ActorReport {
  id: string;
  role?: string;
  faction?: string;
  health?: number;
  maxHealth?: number;
  downed?: boolean;
  dead?: boolean;
  present?: boolean;
  area?: string;
  x?: number;
  y?: number;
}

/** The game's report of what changed in the world, on change or per tick. */
export interface WorldReport {
  nowMs: number;
  actors?: ActorReport[];
  counters?: Record<string, number>;
}

export const DEFAULT_HEALTH = 100;

/** Looks an actor up without tripping over inherited keys such as `constructor`. */
export function actorOf(state: WorldState, id: string): ActorState | undefined {
  return Object.hasOwn(state.actors, id) ? state.actors[id] : undefined;
}

export function newActor(
  id: string,
  role: string | null = null,
  faction: string | null = null,
  health = DEFAULT_HEALTH,
): ActorState {
  return {
    id,
    role,
    faction,
    health,
    maxHealth: health,
    downed: false,
    dead: false,
    present: true,
    area: null,
    x: null,
    y: null,
  };
}

/** A fresh scene state for a pack: the cast and the player at full health, clock at `nowMs`. */
export function createWorldState(pack: CompiledPack, nowMs = 0, playerHealth = DEFAULT_HEALTH): WorldState {
  const actors: Record<string, ActorState> = {};
  for (const m of pack.cast) actors[m.id] = newActor(m.id, m.role, m.faction, m.health ?? DEFAULT_HEALTH);
  actors[pack.playerId] = newActor(pack.playerId, null, null, playerHealth);
  const firstDeadline = pack.timing.phases[0]?.deadlineMs ?? null;
  return {
    nowMs,
    playerId: pack.playerId,
    actors,
    actorIds: Object.keys(actors),
    counters: {},
    phaseIndex: 0,
    phaseEnteredAtMs: nowMs,
    phaseDeadlineAtMs: firstDeadline === null ? null : nowMs + firstDeadline,
    maxDeadlineAtMs: pack.timing.maxMs === null ? null : nowMs + pack.timing.maxMs,
    damageLog: {},
    resolution: null,
  };
}

/** Applies a world report in place; the clock never runs backwards. */
export function applyWorldReport(state: WorldState, report: WorldReport): void {
  if (report.nowMs > state.nowMs) state.nowMs = report.nowMs;
  for (const r of report.actors ?? []) {
    let a = actorOf(state, r.id);
    if (!a) {
      a = newActor(r.id, r.role ?? null, r.faction ?? null, r.maxHealth ?? r.health ?? DEFAULT_HEALTH);
      state.actors[r.id] = a;
      state.actorIds.push(r.id);
    }
    if (r.role !== undefined) a.role = r.role;
    if (r.faction !== undefined) a.faction = r.faction;
    if (r.maxHealth !== undefined) a.maxHealth = r.maxHealth;
    if (r.health !== undefined) a.health = r.health;
    if (r.downed !== undefined) a.downed = r.downed;
    if (r.dead !== undefined) a.dead = r.dead;
    if (r.present !== undefined) a.present = r.present;
    if (r.area !== undefined) a.area = r.area;
    if (r.x !== undefined) a.x = r.x;
    if (r.y !== undefined) a.y = r.y;
  }
  if (report.counters) for (const [k, v] of Object.entries(report.counters)) state.counters[k] = v;
}

/** Out of the fight: downed, dead or gone. */
export function isOut(a: ActorState): boolean {
  return a.downed || a.dead || !a.present;
}
