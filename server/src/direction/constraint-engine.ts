import { subjectMatches } from './compile-refs.js';
import { amountOf, harmful } from './compile-verbs.js';
import type {
  CompiledDamageCap,
  CompiledForbid,
  CompiledPack,
  CompiledPermit,
  CompiledProtect,
  CompiledRule,
} from './compiled-pack.js';
import { EngineIndex, packVerbs, UNKNOWN_VERB, type VerbEntry, type VerbTable } from './constraint-index.js';
import { evalGuard } from './guards.js';
import { type Proposal, UNKNOWN_VERB_RULE, type VerbCategory, type Verdict } from './vocabulary.js';
import { type ActorState, actorOf, type WorldState } from './world-state.js';

/** Judges proposals against one compiled pack. */
export interface ConstraintEngine {
  readonly pack: CompiledPack;
  /** Pure: reads the scene state, never changes it. */
  judge(state: WorldState, proposal: Proposal): Verdict;
  /**
   * Books an action that a verdict let through (the rewritten one, when rewritten): damage
   * windows, and the health it will cost, until the game's next report says otherwise.
   */
  record(state: WorldState, action: Proposal): void;
}

/** What a pack's judging needs besides the state: its verbs and what they do. */
interface Judging {
  pack: CompiledPack;
  verbs: Record<string, VerbCategory>;
}

export function createEngine(pack: CompiledPack): ConstraintEngine {
  const index = new EngineIndex(pack);
  const j: Judging = { pack, verbs: packVerbs(pack) };
  const tableFor = (state: WorldState, p: Proposal): VerbTable => {
    const a = actorOf(state, p.actorId);
    return index.table(p.actorId, a?.role ?? null, a?.faction ?? null);
  };
  return {
    pack,
    judge: (state, p) => judge(j, state, p, tableFor(state, p)),
    record: (state, action) => record(j, state, action, tableFor(state, action).get(action.verb)),
  };
}

const allow = (p: Proposal, ruleId = '', reason = ''): Verdict => ({
  proposalId: p.proposalId,
  decision: 'allow',
  ruleId,
  reason,
});

function veto(p: Proposal, ruleId: string, reason: string): Verdict {
  return { proposalId: p.proposalId, decision: 'veto', ruleId, reason };
}

/** What a harmful action takes from its target: `Infinity` when it kills outright. */
function harmOf(j: Judging, p: Proposal, target: ActorState | undefined): number {
  if (!target || !harmful(j.verbs, p.verb)) return 0;
  if (p.verb === 'kill' || target.downed) return Number.POSITIVE_INFINITY;
  if (j.verbs[p.verb] === 'item' && !(p.amount > 0)) return 0;
  return p.amount;
}

/** A verb the pack does not know: its policy decides, and `only` rules still hold. */
function unknownVerb(pack: CompiledPack, p: Proposal, s: WorldState, table: VerbTable): Verdict {
  const policy = pack.unknownVerbs ?? 'veto';
  const what = `"${p.verb}" is not a verb of pack ${pack.id}`;
  if (policy === 'veto') return veto(p, UNKNOWN_VERB_RULE, `${what}; declare it under "verbs"`);
  for (const rule of table.get(UNKNOWN_VERB)?.rules ?? []) {
    if (rule.when.guard === 'always' || evalGuard(rule.when, s, p.actorId)) return veto(p, rule.id, rule.reason);
  }
  if (policy === 'allow') return allow(p);
  return allow(p, UNKNOWN_VERB_RULE, `${what}; allowed (unknownVerbs: warn)`);
}

/**
 * The verdict names the rule whose limit produced the final action: the last rule to change it
 * (rules run highest priority first, so a tie goes to the higher priority, then to the rule
 * written first), or the first rule to veto it.
 */
function judge(j: Judging, s: WorldState, p: Proposal, table: VerbTable): Verdict {
  const actor = actorOf(s, p.actorId);
  if (actor && (actor.dead || actor.downed || !actor.present) && p.verb !== 'say')
    return veto(p, 'world.actor-out', `${p.actorId} is down or gone`);
  if (!Object.hasOwn(j.verbs, p.verb)) return unknownVerb(j.pack, p, s, table);
  let entry = table.get(p.verb);
  if (!entry) return allow(p);
  const target = p.targetId ? actorOf(s, p.targetId) : undefined;
  let cur = p;
  let decider: CompiledRule | undefined;
  // A rewrite that changes the verb (kill → attack, flee → hold) starts over with the new
  // verb's rules; rewrites only ever weaken an action, so this ends within a few rounds.
  for (let i = 0; entry && i < entry.rules.length; i++) {
    const rule = entry.rules[i] as CompiledRule;
    if (rule.when.guard !== 'always' && !evalGuard(rule.when, s, p.actorId)) continue;
    const next = step(j, rule, cur, s, target, entry.permits);
    if (next === undefined) continue;
    if (next === null) return veto(p, rule.id, rule.reason);
    decider = rule;
    if (next.verb !== cur.verb) {
      entry = table.get(next.verb);
      i = -1;
    }
    cur = next;
  }
  if (!decider) return allow(p);
  return { proposalId: p.proposalId, decision: 'rewrite', ruleId: decider.id, reason: decider.reason, rewritten: cur };
}

/** undefined: no change; null: veto; a proposal: the rewrite. */
type Step = Proposal | null | undefined;

function step(
  j: Judging,
  rule: CompiledRule,
  p: Proposal,
  s: WorldState,
  target: ActorState | undefined,
  permits: CompiledPermit[],
): Step {
  switch (rule.kind) {
    case 'forbid':
      return forbid(j, rule, p, s, target, permits);
    case 'damage_cap':
      return cap(j, rule, p, s, target);
    case 'protect':
      return protect(j, rule, p, target);
    case 'spare_downed':
      return target?.downed && (rule.target === 'anyone' || target.id === s.playerId) && harmful(j.verbs, p.verb)
        ? null
        : undefined;
    case 'stay_in_area':
      return leavesArea(j, rule.area, p) && !permitted(permits, p.verb, rule.priority, s, p.actorId)
        ? hold(p)
        : undefined;
    case 'only':
      return p.verb === 'hold' || rule.verbs.includes(p.verb) || permitted(permits, p.verb, rule.priority, s, p.actorId)
        ? undefined
        : null;
  }
}

function permitted(permits: CompiledPermit[], verb: string, above: number, s: WorldState, actorId: string): boolean {
  for (const pm of permits) {
    if (pm.priority <= above) return false;
    if (pm.verbs.includes(verb) && evalGuard(pm.when, s, actorId)) return true;
  }
  return false;
}

function hold(p: Proposal): Proposal {
  return { proposalId: p.proposalId, actorId: p.actorId, verb: 'hold', targetId: '', amount: 0 };
}

function withHarm(p: Proposal, amount: number): Proposal {
  return { ...p, verb: p.verb === 'kill' ? 'attack' : p.verb, amount };
}

function forbid(
  j: Judging,
  rule: CompiledForbid,
  p: Proposal,
  s: WorldState,
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
  if (!hit && target?.downed && p.targetId === s.playerId && harmful(j.verbs, p.verb))
    hit = rule.matches.some((m) => m.verb === 'kill' && m.onPlayer);
  if (!hit) return undefined;
  if (rule.items.length > 0 && j.verbs[p.verb] === 'item' && !rule.items.includes(p.params?.item ?? ''))
    return undefined;
  if (permitted(permits, p.verb, rule.priority, s, p.actorId)) return undefined;
  return rule.instead === 'hold' ? hold(p) : null;
}

function windowTotal(s: WorldState, key: string, sinceMs: number): number {
  const log = Object.hasOwn(s.damageLog, key) ? s.damageLog[key] : undefined;
  if (!log) return 0;
  let total = 0;
  for (let i = log.length - 2; i >= 0; i -= 2) {
    if ((log[i] as number) <= sinceMs) break;
    total += log[i + 1] as number;
  }
  return total;
}

function cap(j: Judging, rule: CompiledDamageCap, p: Proposal, s: WorldState, target: ActorState | undefined): Step {
  if (!target || !subjectMatches(rule.target, target.id, target.role, target.faction, s.playerId)) return undefined;
  const harm = harmOf(j, p, target);
  if (harm <= 0) return undefined;
  let allowed = rule.perHit ? amountOf(rule.perHit, target.maxHealth) : Number.POSITIVE_INFINITY;
  if (rule.window) {
    const taken = windowTotal(s, `${rule.id}|${target.id}`, s.nowMs - rule.window.ms);
    allowed = Math.min(allowed, amountOf(rule.window.amount, target.maxHealth) - taken);
  }
  if (harm <= allowed) return undefined;
  if (allowed <= 0 || target.downed) return null;
  return withHarm(p, allowed);
}

function protect(j: Judging, rule: CompiledProtect, p: Proposal, target: ActorState | undefined): Step {
  if (!target || p.targetId !== rule.targetId) return undefined;
  const harm = harmOf(j, p, target);
  if (harm <= 0) return undefined;
  if (target.downed || target.dead) return null;
  if (rule.floor === 'alive') return p.verb === 'kill' ? withHarm(p, target.health) : undefined;
  const most = target.health - 1;
  if (harm <= most) return undefined;
  return most < 1 ? null : withHarm(p, most);
}

function leavesArea(j: Judging, name: string, p: Proposal): boolean {
  if (j.verbs[p.verb] === 'exit') return true;
  const area = Object.hasOwn(j.pack.areas, name) ? j.pack.areas[name] : undefined;
  const params = p.params;
  if (!area || !params) return false;
  if (params.area !== undefined) return params.area !== name;
  if (params.x === undefined || params.y === undefined) return false;
  const x = Number(params.x);
  const y = Number(params.y);
  return !(x >= area.x[0] && x <= area.x[1] && y >= area.y[0] && y <= area.y[1]);
}

function record(j: Judging, s: WorldState, a: Proposal, entry: VerbEntry | undefined): void {
  const target = a.targetId ? actorOf(s, a.targetId) : undefined;
  const harm = harmOf(j, a, target);
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
