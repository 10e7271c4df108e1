import { subjectMatches } from '../compile-refs.js';
import { amountOf } from '../compile-verbs.js';
import type { CompiledPack, CompiledRule } from '../compiled-pack.js';
import { packVerbs } from '../constraint-index.js';
import { evalGuard } from '../guards.js';
import { type Proposal, UNKNOWN_VERB_RULE } from '../vocabulary.js';
import { type ActorState, actorOf, type Resolution, type WorldState } from '../world-state.js';

/** A broken constraint, found by checking what actually happened, not how the engine decided. */
export interface Violation {
  ruleId: string;
  atMs: number;
  message: string;
}

/**
 * An independent check of every performed action against the pack: it walks all rules
 * directly (no per-actor index, no rewriting) and keeps its own damage-window log.
 */
export class ConstraintOracle {
  readonly violations: Violation[] = [];
  private readonly windows = new Map<string, { t: number; a: number }[]>();
  private pending: {
    ruleId: string;
    targetId: string;
    floor: 'alive' | 'standing';
    wasDown: boolean;
    wasDead: boolean;
  }[] = [];

  constructor(private readonly pack: CompiledPack) {}

  private fail(rule: string, s: WorldState, message: string): void {
    this.violations.push({ ruleId: rule, atMs: s.nowMs, message });
  }

  private applies(r: CompiledRule, s: WorldState, actor: ActorState | undefined, actorId: string): boolean {
    return subjectMatches(r.who, actorId, actor?.role, actor?.faction, s.playerId) && evalGuard(r.when, s, actorId);
  }

  private permitted(
    s: WorldState,
    actor: ActorState | undefined,
    actorId: string,
    verb: string,
    above: number,
  ): boolean {
    return this.pack.permits.some(
      (p) =>
        p.priority > above &&
        p.verbs.includes(verb) &&
        subjectMatches(p.who, actorId, actor?.role, actor?.faction, s.playerId) &&
        evalGuard(p.when, s, actorId),
    );
  }

  /** Checks one action about to be performed, against the state just before it. */
  before(s: WorldState, a: Proposal): void {
    this.pending = [];
    for (const r of this.pack.rules) {
      if (r.kind !== 'protect' || !evalGuard(r.when, s, a.actorId)) continue;
      const t = actorOf(s, r.targetId);
      if (t)
        this.pending.push({ ruleId: r.id, targetId: r.targetId, floor: r.floor, wasDown: t.downed, wasDead: t.dead });
    }
    if (a.verb === 'hold') return;
    const verbs = packVerbs(this.pack);
    const actor = actorOf(s, a.actorId);
    const target = a.targetId ? actorOf(s, a.targetId) : undefined;
    if (!Object.hasOwn(verbs, a.verb) && (this.pack.unknownVerbs ?? 'veto') === 'veto')
      this.fail(UNKNOWN_VERB_RULE, s, `${a.actorId} did "${a.verb}", a verb the pack does not know`);
    if (actor && (actor.downed || actor.dead || !actor.present) && a.verb !== 'say')
      this.fail('world.actor-out', s, `${a.actorId} acted while down or gone`);
    const category = verbs[a.verb];
    const harmful = !!target && !target.dead && (category === 'harm' || (category === 'item' && a.amount > 0));
    const lethal = harmful && (a.verb === 'kill' || !!target?.downed);
    const taken = !harmful || !target ? 0 : lethal ? target.health : Math.min(a.amount, target.health);
    for (const r of this.pack.rules) {
      if (!this.applies(r, s, actor, a.actorId)) continue;
      if (r.kind === 'forbid') {
        const finishing = lethal && a.targetId === s.playerId && r.matches.some((m) => m.verb === 'kill' && m.onPlayer);
        const named = r.matches.some((m) => m.verb === a.verb && (!m.onPlayer || a.targetId === s.playerId));
        const itemOk = category !== 'item' || r.items.length === 0 || r.items.includes(a.params?.item ?? '');
        if ((named || finishing) && itemOk && !this.permitted(s, actor, a.actorId, a.verb, r.priority))
          this.fail(r.id, s, `${a.actorId} did forbidden ${a.verb}`);
      } else if (r.kind === 'damage_cap' && harmful && target) {
        if (!subjectMatches(r.target, target.id, target.role, target.faction, s.playerId)) continue;
        if (lethal) this.fail(r.id, s, `${a.actorId} dealt a lethal blow to ${target.id} under a damage cap`);
        const perHit = r.perHit ? amountOf(r.perHit, target.maxHealth) : null;
        if (perHit !== null && taken > perHit + 1e-9)
          this.fail(r.id, s, `${a.actorId} hit ${target.id} for ${taken} > ${perHit}`);
        if (r.window) {
          const key = `${r.id}|${target.id}`;
          const log = (this.windows.get(key) ?? []).filter((e) => e.t > s.nowMs - (r.window?.ms ?? 0));
          log.push({ t: s.nowMs, a: taken });
          this.windows.set(key, log);
          const sum = log.reduce((x, e) => x + e.a, 0);
          const most = amountOf(r.window.amount, target.maxHealth);
          if (sum > most + 1e-9) this.fail(r.id, s, `${target.id} took ${sum} in the window > ${most}`);
        }
      } else if (r.kind === 'spare_downed' && harmful && target?.downed) {
        if (r.target === 'anyone' || target.id === s.playerId)
          this.fail(r.id, s, `${a.actorId} attacked downed ${target.id}`);
      } else if (r.kind === 'stay_in_area' && !this.permitted(s, actor, a.actorId, a.verb, r.priority)) {
        const area = this.pack.areas[r.area];
        const x = a.params?.x === undefined ? undefined : Number(a.params.x);
        const y = a.params?.y === undefined ? undefined : Number(a.params.y);
        const outside =
          (category === 'exit' && a.verb !== 'surrender') ||
          (category === 'move' && a.params?.area !== undefined && a.params.area !== r.area) ||
          (category === 'move' &&
            area &&
            x !== undefined &&
            y !== undefined &&
            (x < area.x[0] || x > area.x[1] || y < area.y[0] || y > area.y[1]));
        if (outside) this.fail(r.id, s, `${a.actorId} left ${r.area}`);
      } else if (r.kind === 'only' && !r.verbs.includes(a.verb)) {
        if (!this.permitted(s, actor, a.actorId, a.verb, r.priority)) this.fail(r.id, s, `${a.actorId} did ${a.verb}`);
      }
    }
  }

  /** Checks protections once the action was performed and reported. */
  after(now: WorldState): void {
    for (const p of this.pending) {
      const t = actorOf(now, p.targetId);
      if (!t) continue;
      if (p.floor === 'alive' && t.dead && !p.wasDead) this.fail(p.ruleId, now, `${p.targetId} was killed`);
      if (p.floor === 'standing' && (t.downed || t.dead) && !p.wasDown)
        this.fail(p.ruleId, now, `${p.targetId} went down`);
    }
    this.pending = [];
  }

  /** Checks how the battle ended. */
  end(s: WorldState, resolution: Resolution | null): void {
    const o = this.pack.outcome;
    if (!o) return;
    if (!resolution) {
      this.fail('outcome', s, 'the battle did not end');
      return;
    }
    const player = actorOf(s, s.playerId);
    if (player?.dead && (!o.mayDie || o.required === 'survive')) this.fail('outcome', s, 'the player died');
    if (o.required !== 'survive' && resolution.outcome !== o.required)
      this.fail('outcome', s, `ended in ${resolution.outcome} (${resolution.by}), must be ${o.required}`);
  }
}
