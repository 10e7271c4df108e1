import type { StanceName } from '@stagecraft/protocol';
import type { CompiledPack } from './compiled-pack.js';
import { type PlanSource, planSourceFor } from './npc-plans.js';
import { MODE_AGGRESSION, type PacingState, steerFactor } from './pacing.js';
import type { Directive } from './vocabulary.js';
import type { ActorState, WorldState } from './world-state.js';

export { DEFAULT_AGGRESSION, type NpcPlan } from './npc-plans.js';

interface Sent {
  stance: string;
  aggression: number;
  targetId: string;
  retreat: number;
}

/** What each NPC was last told, so only changes go out. Plain JSON; persists with the director. */
export interface DirectorMemory {
  sent: Record<string, Sent>;
  /** npcId → ids of the lines it has said. */
  said: Record<string, Record<string, true>>;
}

export function createMemory(): DirectorMemory {
  return { sent: {}, said: {} };
}

/**
 * The scene's actors as arrays in arrival order, with each one's plan source and last directive:
 * a tick walks these instead of looking 10,000 ids up in objects. Built on first sight of a
 * world state and memory, extended as actors arrive; a restored scene builds a new one.
 */
interface Roster {
  pack: CompiledPack;
  state: WorldState;
  actors: ActorState[];
  sources: (PlanSource | null)[];
  sent: (Sent | undefined)[];
  /** Lines each NPC has still to say. */
  unsaid: number[];
}

const rosters = new WeakMap<DirectorMemory, Roster>();
/** Stamps each tick, across every director: shared plans hold values for one stamp. */
let tickStamp = 0;

function rosterFor(pack: CompiledPack, s: WorldState, memory: DirectorMemory): Roster {
  let r = rosters.get(memory);
  if (!r || r.state !== s || r.pack !== pack) {
    r = { pack, state: s, actors: [], sources: [], sent: [], unsaid: [] };
    rosters.set(memory, r);
  }
  for (let i = r.actors.length; i < s.actorIds.length; i++) {
    const id = s.actorIds[i] as string;
    const a = s.actors[id] as ActorState;
    const source = id === s.playerId ? null : planSourceFor(pack, id, a.role, a.faction);
    const said = memory.said[id];
    r.actors.push(a);
    r.sources.push(source);
    r.sent.push(memory.sent[id]);
    r.unsaid.push(source ? source.lines.filter((l) => !said?.[l.id]).length : 0);
  }
  return r;
}

/** Says the NPC's lines whose cue now holds, once each; returns how many it said. */
function sayLines(
  source: PlanSource,
  s: WorldState,
  id: string,
  memory: DirectorMemory,
  tick: number,
  out: Directive[],
): number {
  let count = 0;
  for (let k = 0; k < source.lines.length; k++) {
    if (!source.cueHolds(k, s, id, tick)) continue;
    const line = source.lines[k] as PlanSource['lines'][number];
    memory.said[id] ??= {};
    const said = memory.said[id];
    if (said[line.id]) continue;
    said[line.id] = true;
    out.push({ npcId: id, say: line.say, ruleId: line.id, issuedAtMs: s.nowMs });
    count++;
  }
  return count;
}

/**
 * Works out each present NPC's directive for this tick and appends the changed ones to `out`.
 * Aggression is the instructed base scaled by pacing mode and, for enemies, by outcome steering.
 */
export function directNpcs(
  pack: CompiledPack,
  s: WorldState,
  pacing: PacingState,
  memory: DirectorMemory,
  out: Directive[],
): void {
  const r = rosterFor(pack, s, memory);
  const tick = ++tickStamp;
  const enemyFactor = MODE_AGGRESSION[pacing.mode] * steerFactor(pack, s);
  const now = s.nowMs;
  const pacingRuleId = `director.${pacing.mode}`;
  for (let i = 0; i < r.actors.length; i++) {
    const source = r.sources[i];
    if (!source) continue;
    const a = r.actors[i] as ActorState;
    if (a.dead || a.downed || !a.present) continue;
    if ((r.unsaid[i] as number) > 0)
      r.unsaid[i] = (r.unsaid[i] as number) - sayLines(source, s, a.id, memory, tick, out);
    const shared = source.planNow(s, a.id, tick);
    if (shared.tick !== tick) shared.update(tick, s, enemyFactor);
    const plan = shared.plan;
    const retreatOn = shared.retreatHolds(s, a.id);
    const retreat = retreatOn ? (plan.retreatBelow as number) : 0;
    const retreating = retreatOn && a.health < retreat * a.maxHealth;
    const stance = retreating ? 'retreating' : (plan.stance ?? '');
    const aggression = retreating ? 0 : shared.aggression;
    const targetId = shared.targetId;
    const last = r.sent[i];
    if (
      last &&
      last.stance === stance &&
      last.aggression === aggression &&
      last.targetId === targetId &&
      last.retreat === retreat
    )
      continue;
    const d: Directive = {
      npcId: a.id,
      ruleId: last && last.aggression !== aggression ? pacingRuleId : plan.ruleId,
      issuedAtMs: now,
    };
    if (!last || last.stance !== stance) if (stance) d.stance = stance as StanceName;
    if (!last || last.aggression !== aggression) d.aggression = aggression;
    if (!last || last.targetId !== targetId) if (targetId) d.targetId = targetId;
    if (!last || last.retreat !== retreat) d.retreatBelowHealth = retreat;
    if (last) {
      last.stance = stance;
      last.aggression = aggression;
      last.targetId = targetId;
      last.retreat = retreat;
    } else {
      const sent = { stance, aggression, targetId, retreat };
      memory.sent[a.id] = sent;
      r.sent[i] = sent;
    }
    out.push(d);
  }
}
