import { subjectMatches } from './compile-refs.js';
import type { CompiledInstruction, CompiledPack, Guard } from './compiled-pack.js';
import { evalGuard } from './guards.js';
import { MODE_AGGRESSION, type PacingState, steerFactor } from './pacing.js';
import type { Directive, Stance } from './vocabulary.js';
import { actorOf, isOut, type SceneState } from './world-state.js';

/** One NPC's instructions merged by priority: the highest-priority instruction setting a field wins. */
export interface NpcPlan {
  ruleId: string;
  stance: Stance | null;
  aggression: number;
  retreatBelow: number | null;
  retreatWhen: Guard;
  targets: string[];
  lines: CompiledInstruction['lines'];
  enemy: boolean;
}

/** What each NPC was last told, so only changes go out. Plain JSON; persists with the director. */
export interface DirectorMemory {
  sent: Record<string, { stance: string; aggression: number; targetId: string; retreat: number }>;
  /** npcId → ids of the lines it has said. */
  said: Record<string, Record<string, true>>;
}

export const DEFAULT_AGGRESSION = 0.5;

export function createMemory(): DirectorMemory {
  return { sent: {}, said: {} };
}

const plans = new WeakMap<CompiledPack, Map<string, NpcPlan | null>>();
const enemies = new WeakMap<CompiledPack, Set<string>>();

function enemySet(pack: CompiledPack): Set<string> {
  let set = enemies.get(pack);
  if (!set) {
    set = new Set(pack.enemies);
    enemies.set(pack, set);
  }
  return set;
}

export function planFor(pack: CompiledPack, id: string, role: string | null, faction: string | null): NpcPlan | null {
  let byActor = plans.get(pack);
  if (!byActor) {
    byActor = new Map();
    plans.set(pack, byActor);
  }
  let plan = byActor.get(id);
  if (plan === undefined) {
    plan = buildPlan(pack, id, role, faction);
    byActor.set(id, plan);
  }
  return plan;
}

function buildPlan(pack: CompiledPack, id: string, role: string | null, faction: string | null): NpcPlan | null {
  const mine = pack.instructions
    .filter((i) => subjectMatches(i.who, id, role, faction, pack.playerId))
    .sort((a, b) => b.priority - a.priority);
  const enemy = enemySet(pack).has(id);
  if (mine.length === 0 && !enemy) return null;
  const first = <K extends keyof CompiledInstruction>(k: K) =>
    mine.find((i) => i[k] !== null && !(Array.isArray(i[k]) && i[k].length === 0));
  const retreat = first('retreatBelow');
  return {
    ruleId: mine[0]?.id ?? 'director',
    stance: first('stance')?.stance ?? null,
    aggression: first('aggression')?.aggression ?? DEFAULT_AGGRESSION,
    retreatBelow: retreat?.retreatBelow ?? null,
    retreatWhen: retreat?.retreatWhen ?? { guard: 'never' },
    targets: first('targets')?.targets ?? [],
    lines: mine.flatMap((i) => i.lines),
    enemy,
  };
}

const quantize = (x: number) => Math.round(x * 20) / 20;

/**
 * Works out each present NPC's directive for this tick and appends the changed ones to `out`.
 * Aggression is the instructed base scaled by pacing mode and, for enemies, by outcome steering.
 */
export function directNpcs(
  pack: CompiledPack,
  s: SceneState,
  pacing: PacingState,
  memory: DirectorMemory,
  out: Directive[],
): void {
  const steer = steerFactor(pack, s);
  const modeFactor = MODE_AGGRESSION[pacing.mode];
  const now = s.nowMs;
  const ids = s.actorIds;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as string;
    if (id === s.playerId) continue;
    const a = s.actors[id];
    if (!a || a.dead || !a.present) continue;
    const plan = planFor(pack, id, a.role, a.faction);
    if (!plan) continue;
    for (const line of plan.lines) {
      if (a.downed || !evalGuard(line.cue, s, id)) continue;
      memory.said[id] ??= {};
      const said = memory.said[id];
      if (said[line.id]) continue;
      said[line.id] = true;
      out.push({ npcId: id, say: line.say, ruleId: line.id, issuedAtMs: now });
    }
    if (a.downed) continue;
    const retreatOn = plan.retreatBelow !== null && evalGuard(plan.retreatWhen, s, id);
    const retreat = retreatOn ? (plan.retreatBelow as number) : 0;
    const retreating = retreatOn && a.health < retreat * a.maxHealth;
    const stance = retreating ? 'retreating' : (plan.stance ?? '');
    const aggression = retreating ? 0 : quantize(Math.min(1, plan.aggression * (plan.enemy ? modeFactor * steer : 1)));
    let targetId = '';
    for (const t of plan.targets) {
      const target = actorOf(s, t);
      if (target && !isOut(target)) {
        targetId = t;
        break;
      }
    }
    const last = memory.sent[id];
    if (
      last &&
      last.stance === stance &&
      last.aggression === aggression &&
      last.targetId === targetId &&
      last.retreat === retreat
    )
      continue;
    const d: Directive = {
      npcId: id,
      ruleId: last && last.aggression !== aggression ? `director.${pacing.mode}` : plan.ruleId,
      issuedAtMs: now,
    };
    if (!last || last.stance !== stance) if (stance) d.stance = stance as Stance;
    if (!last || last.aggression !== aggression) d.aggression = aggression;
    if (!last || last.targetId !== targetId) if (targetId) d.targetId = targetId;
    if (!last || last.retreat !== retreat) d.retreatBelowHealth = retreat;
    memory.sent[id] = { stance, aggression, targetId, retreat };
    out.push(d);
  }
}
