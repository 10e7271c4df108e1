import { subjectMatches } from './compile-refs.js';
import type {
  CompiledDamageCap,
  CompiledForbid,
  CompiledPack,
  CompiledPermit,
  CompiledProtect,
  CompiledRule,
} from './compiled-pack.js';
import { EngineIndex, HARM_VERBS, type VerbEntry, type VerbTable } from './engine-index.js';
import { evalGuard } from './guards.js';
import type { Proposal, Verdict } from './vocabulary.js';
import { type ActorState, actorOf, type SceneState } from './world-state.js';

/** Judges proposals against one compiled pack. */
export interface ConstraintEngine {
  readonly pack: CompiledPack;
  /** Pure: reads the scene state, never changes it. */
  judge(state: SceneState, proposal: Proposal): Verdict;
  /**
   * Books an action that a verdict let through (the rewritten one, when rewritten): damage
   * windows, and the health it will cost, until the game's next report says otherwise.
   */
  record(state: SceneState, action: Proposal): void;
}

const ALLOW_REASON = '';

export function createEngine(pack: CompiledPack): ConstraintEngine {
  const index = new EngineIndex(pack);
  const tableFor = (state: SceneState, p: Proposal): VerbTable => {
    const a = actorOf(state, p.actorId);
    return index.table(p.actorId, a?.role ?? null, a?.faction ?? null);
  };
  return {
    pack,
    judge: (state, p) => judge(pack, state, p, tableFor(state, p)),
    record: (state, action) => record(state, action, tableFor(state, action).get(action.verb)),
  };
}

function veto(p: Proposal, ruleId: string, reason: string): Verdict {
  return { proposalId: p.proposalId, decision: 'veto', ruleId, reason };
}

/** What a harmful action takes from its target: `Infinity` when it kills outright. */
export function harmOf(p: Proposal, target: ActorState | undefined): number {
  if (!HARM_VERBS.has(p.verb) || !target) return 0;
  if (p.verb === 'kill' || target.downed) return Number.POSITIVE_INFINITY;
  if (p.verb === 'use_item' && !(p.amount > 0)) return 0;
  return p.amount;
}

function judge(pack: CompiledPack, s: SceneState, p: Proposal, table: VerbTable): Verdict {
  if (s.resolution) return veto(p, 'scene.resolved', 'the battle is over');
  const actor = actorOf(s, p.actorId);
  if (actor && (actor.dead || actor.downed || !actor.present) && p.verb !== 'say')
    return veto(p, 'world.actor-out', `${p.actorId} is down or gone`);
  let entry = table.get(p.verb);
  if (!entry) return { proposalId: p.proposalId, decision: 'allow', ruleId: '', reason: ALLOW_REASON };
  const target = p.targetId ? actorOf(s, p.targetId) : undefined;
  let cur = p;
  let decider: CompiledRule | undefined;
  // A rewrite that changes the verb (kill → attack, flee → hold) starts over with the new
  // verb's rules; rewrites only ever weaken an action, so this ends within a few rounds.
  for (let i = 0; entry && i < entry.rules.length; i++) {
    const rule = entry.rules[i] as CompiledRule;
    if (rule.when.guard !== 'always' && !evalGuard(rule.when, s, p.actorId)) continue;
    let next: Proposal | null | undefined;
    switch (rule.kind) {
      case 'forbid':
        next = forbid(rule, cur, s, target, entry.permits);
        break;
      case 'damage_cap':
        next = cap(rule, cur, s, target);
        break;
      case 'protect':
        next = protect(rule, cur, target);
        break;
      case 'spare_downed':
        next =
          target?.downed && (rule.target === 'anyone' || target.id === s.playerId) && HARM_VERBS.has(cur.verb)
            ? null
            : undefined;
        break;
      case 'stay_in_area':
        next =
          leavesArea(pack, rule.area, cur) && !permitted(entry.permits, cur.verb, rule.priority, s, p.actorId)
            ? hold(cur)
            : undefined;
        break;
    }
    if (next === undefined) continue;
    if (next === null) return veto(p, rule.id, rule.reason);
    decider ??= rule;
    if (next.verb !== cur.verb) {
      entry = table.get(next.verb);
      i = -1;
    }
    cur = next;
  }
  if (!decider) return { proposalId: p.proposalId, decision: 'allow', ruleId: '', reason: ALLOW_REASON };
  return { proposalId: p.proposalId, decision: 'rewrite', ruleId: decider.id, reason: decider.reason, rewritten: cur };
}

function permitted(permits: CompiledPermit[], verb: string, above: number, s: SceneState, actorId: string): boolean {
  for (const pm of permits) {
    if (pm.priority <= above) return false;
    if (pm.verbs.includes(verb) && evalGuard(pm.when, s, actorId)) return true;
  }
  return false;
}

/** undefined: no change; null: veto; a proposal: the rewrite. */
type Step = Proposal | null | undefined;

function hold(p: Proposal): Proposal {
  return { proposalId: p.proposalId, actorId: p.actorId, verb: 'hold', targetId: '', amount: 0 };
}

function withHarm(p: Proposal, amount: number): Proposal {
  return { ...p, verb: p.verb === 'kill' ? 'attack' : p.verb, amount };
}

function forbid(
  rule: CompiledForbid,
  p: Proposal,
  s: SceneState,
  target: ActorState | undefined,
  permits: CompiledPermit[],
): Step {
  let hit = false;
  for (const m of rule.matches) {
    if (m.verb === p.verb && (!m.onPlayer || p.targetId === s.playerId)) {
      hit = true;
      break;
    }
  }
  // Finishing a downed player is killing them, whatever the verb.
  if (!hit && target?.downed && p.targetId === s.playerId && HARM_VERBS.has(p.verb))
    hit = rule.matches.some((m) => m.verb === 'kill' && m.onPlayer);
  if (!hit) return undefined;
  if (rule.items.length > 0 && p.verb === 'use_item' && !rule.items.includes(p.params?.item ?? '')) return undefined;
  if (permitted(permits, p.verb, rule.priority, s, p.actorId)) return undefined;
  return rule.instead === 'hold' ? hold(p) : null;
}

function windowTotal(s: SceneState, key: string, sinceMs: number): number {
  const log = Object.hasOwn(s.damageLog, key) ? s.damageLog[key] : undefined;
  if (!log) return 0;
  let total = 0;
  for (let i = log.length - 2; i >= 0; i -= 2) {
    if ((log[i] as number) <= sinceMs) break;
    total += log[i + 1] as number;
  }
  return total;
}

function cap(rule: CompiledDamageCap, p: Proposal, s: SceneState, target: ActorState | undefined): Step {
  if (!target || !subjectMatches(rule.target, target.id, target.role, target.faction, s.playerId)) return undefined;
  const harm = harmOf(p, target);
  if (harm <= 0) return undefined;
  let allowed = rule.perHit ?? Number.POSITIVE_INFINITY;
  if (rule.window)
    allowed = Math.min(
      allowed,
      rule.window.amount - windowTotal(s, `${rule.id}|${target.id}`, s.nowMs - rule.window.ms),
    );
  if (harm <= allowed) return undefined;
  if (allowed <= 0 || target.downed) return null;
  return withHarm(p, allowed);
}

function protect(rule: CompiledProtect, p: Proposal, target: ActorState | undefined): Step {
  if (!target || p.targetId !== rule.targetId) return undefined;
  const harm = harmOf(p, target);
  if (harm <= 0) return undefined;
  if (target.downed || target.dead) return null;
  if (rule.floor === 'alive') return p.verb === 'kill' ? withHarm(p, target.health) : undefined;
  const most = target.health - 1;
  if (harm <= most) return undefined;
  return most < 1 ? null : withHarm(p, most);
}

function leavesArea(pack: CompiledPack, name: string, p: Proposal): boolean {
  if (p.verb === 'flee' || p.verb === 'leave') return true;
  const area = Object.hasOwn(pack.areas, name) ? pack.areas[name] : undefined;
  const params = p.params;
  if (!area || !params) return false;
  if (params.area !== undefined) return params.area !== name;
  if (params.x === undefined || params.y === undefined) return false;
  const x = Number(params.x);
  const y = Number(params.y);
  return !(x >= area.x[0] && x <= area.x[1] && y >= area.y[0] && y <= area.y[1]);
}

function record(s: SceneState, a: Proposal, entry: VerbEntry | undefined): void {
  const target = a.targetId ? actorOf(s, a.targetId) : undefined;
  const harm = harmOf(a, target);
  if (!target || harm <= 0) return;
  if (entry) {
    for (const rule of entry.rules) {
      if (rule.kind !== 'damage_cap' || !rule.window) continue;
      if (!subjectMatches(rule.target, target.id, target.role, target.faction, s.playerId)) continue;
      if (rule.when.guard !== 'always' && !evalGuard(rule.when, s, a.actorId)) continue;
      const key = `${rule.id}|${target.id}`;
      s.damageLog[key] ??= [];
      const log = s.damageLog[key];
      log.push(s.nowMs, Math.min(harm, target.health));
      const since = s.nowMs - rule.window.ms;
      let drop = 0;
      while (drop < log.length && (log[drop] as number) <= since) drop += 2;
      if (drop > 0) log.splice(0, drop);
    }
  }
  if (harm === Number.POSITIVE_INFINITY) {
    if (target.downed || a.verb === 'kill') target.dead = true;
    target.downed = true;
    target.health = 0;
  } else {
    target.health = Math.max(0, target.health - harm);
    if (target.health === 0) target.downed = true;
  }
}
