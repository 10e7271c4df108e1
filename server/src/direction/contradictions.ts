import { subjectMatches } from './compile-refs.js';
import type { RulePaths } from './compile-rules.js';
import type { CompiledPack, CompiledRule, Guard } from './compiled-pack.js';
import { formatDuration } from './durations.js';
import type { FieldPath, Involved, ProblemList, Severity } from './pack-problems.js';
import { reachOf } from './phase-reach.js';

/**
 * Contradictions between rules: a required outcome that only the timer can give, a deadline
 * that ends the battle before its minimum, caps that never let the player go down, phases
 * that rules keep from ever starting. Each report names every rule involved.
 */
export class Contradictions {
  constructor(
    private readonly pack: CompiledPack,
    private readonly paths: RulePaths,
    private readonly problems: ProblemList,
    /** The player's hit points: the pack's `simulate.player.health`, default 100. */
    private readonly playerHealth: number,
  ) {}

  private at(id: string): FieldPath {
    return this.paths.get(id) ?? [];
  }

  private rule(id: string): Involved {
    return { rule: id, path: this.at(id) };
  }

  private severity(): Severity {
    return this.pack.outcome?.strict === false ? 'warning' : 'error';
  }

  /** Enemies who can neither be downed nor leave, with the rules that hold them. */
  unbeatable(): { npc: string; rules: Involved[] }[] {
    return this.pack.enemies.flatMap((npc) => {
      const rules = this.unbeatableNpc(npc);
      return rules ? [{ npc, rules }] : [];
    });
  }

  /** The always-on rule that turns every exit of an NPC into holding ground, unless a permit lets it go. */
  private staysRule(id: string): CompiledRule | undefined {
    const m = this.pack.cast.find((c) => c.id === id);
    const covers = (who: CompiledRule['who']) => subjectMatches(who, id, m?.role, m?.faction, this.pack.playerId);
    if (this.pack.permits.some((p) => covers(p.who) && p.when.guard !== 'never')) return undefined;
    return this.pack.rules.find(
      (r) =>
        r.kind === 'forbid' &&
        r.when.guard === 'always' &&
        covers(r.who) &&
        ['flee', 'leave'].every((v) => r.matches.some((x) => x.verb === v && !x.onPlayer)),
    );
  }

  /** Win against enemies that can never go down or leave: only the timer or a deadline can win. True when reported. */
  checkWin(): boolean {
    const o = this.pack.outcome;
    if (o?.required !== 'win') return false;
    const blockers = this.unbeatable();
    if (blockers.length === 0) return false;
    const names = blockers.map((b) => b.npc).join(', ');
    const involves = [{ rule: 'outcome', path: ['outcome', 'player'] }, ...blockers.flatMap((b) => b.rules)];
    const { maxMs, atMax } = this.pack.timing;
    const deadlines = this.pack.timing.phases.filter(
      (p) => p.atDeadline.kind === 'resolve' && p.atDeadline.outcome === 'win',
    );
    if (atMax === 'win' && maxMs !== null) {
      this.problems.contradiction(
        'warning',
        ['outcome', 'player'],
        `the player must win, but ${names} must survive and stay, so downing the enemies never wins: every battle runs to maxDuration ${formatDuration(maxMs)} and is won by the timer`,
        [...involves, { rule: 'timing.atMax', path: ['timing', 'atMax'] }],
      );
      return true;
    }
    if (deadlines.length === 0) {
      this.problems.contradiction(
        this.severity(),
        ['outcome', 'player'],
        `the player can never win: ${names} must survive and stay, so not every enemy can go down, and the battle ${maxMs === null ? 'has no maxDuration' : `resolves as "${atMax}" at maxDuration`}`,
        maxMs === null ? involves : [...involves, { rule: 'timing.atMax', path: ['timing', 'atMax'] }],
      );
      return true;
    }
    return false;
  }

  /** Damage caps on every enemy that keep the player from ever being downed by hits. */
  checkLose(): void {
    const o = this.pack.outcome;
    const { maxMs, atMax } = this.pack.timing;
    if (o?.required !== 'lose' || this.pack.enemies.length === 0) return;
    const bound = this.damageBound(maxMs);
    if (!bound || bound.points >= this.playerHealth) return;
    const within = maxMs === null ? '' : ` in ${formatDuration(maxMs)}`;
    const involves = [{ rule: 'outcome', path: ['outcome', 'player'] }, ...bound.rules];
    const what = `the enemies together can take at most ${Math.floor(bound.points)} of the player's ${this.playerHealth} hit points${within}`;
    if (atMax === 'lose')
      this.problems.contradiction(
        'warning',
        ['outcome', 'player'],
        `the player must lose, but no hit can down them: ${what}; every battle is lost to the timer at maxDuration`,
        [...involves, { rule: 'timing.atMax', path: ['timing', 'atMax'] }],
      );
    else
      this.problems.contradiction(
        this.severity(),
        ['outcome', 'player'],
        `the player can never lose: ${what}`,
        involves,
      );
  }

  /**
   * An upper bound on the damage every enemy together can deal the player within `ms`, with the
   * rules that bound it; undefined when some enemy is not bounded at all.
   */
  damageBound(ms: number | null): { points: number; rules: Involved[] } | undefined {
    const windows = new Map<string, number>();
    const rules: Involved[] = [];
    for (const id of this.pack.enemies) {
      const m = this.pack.cast.find((c) => c.id === id);
      const applies = (r: CompiledRule) =>
        r.when.guard === 'always' && subjectMatches(r.who, id, m?.role, m?.faction, this.pack.playerId);
      const harmless = this.pack.rules.find(
        (r) =>
          applies(r) &&
          ((r.kind === 'forbid' && this.forbidsAllHarm(r)) ||
            (r.kind === 'damage_cap' && r.target.player && r.perHit !== null && this.points(r.perHit) === 0)),
      );
      if (harmless) {
        rules.push(this.rule(harmless.id));
        continue;
      }
      if (ms === null) return undefined;
      let best: { id: string; points: number } | undefined;
      for (const r of this.pack.rules) {
        if (r.kind !== 'damage_cap' || !r.window || !r.target.player || !applies(r)) continue;
        const points = this.points(r.window.amount) * (Math.floor(ms / r.window.ms) + 1);
        if (!best || points < best.points) best = { id: r.id, points };
      }
      if (!best) return undefined;
      windows.set(best.id, best.points);
      rules.push(this.rule(best.id));
    }
    return { points: [...windows.values()].reduce((a, b) => a + b, 0), rules };
  }

  private forbidsAllHarm(r: Extract<CompiledRule, { kind: 'forbid' }>): boolean {
    const harm = Object.entries(this.pack.verbs).filter(([, c]) => c === 'harm' || c === 'item');
    return r.items.length === 0 && harm.every(([v]) => r.matches.some((x) => x.verb === v));
  }

  private points(a: { points: number } | { fraction: number }): number {
    return 'points' in a ? a.points : a.fraction * this.playerHealth;
  }

  /** Phase deadlines that resolve the battle before minDuration or only after maxDuration. */
  checkDeadlines(): void {
    const { minMs, maxMs, phases } = this.pack.timing;
    const reach = reachOf(this.pack, (g) => this.blocked(g) !== undefined);
    phases.forEach((ph, i) => {
      const r = reach[i];
      if (ph.atDeadline.kind !== 'resolve' || ph.deadlineMs === null || !r?.reachable) return;
      const endsAt = r.earliestMs + ph.deadlineMs;
      const path = ['timing', 'phases', i, 'deadline'];
      const involves: Involved[] = [
        { rule: `${ph.source}.deadline`, path },
        { rule: `${ph.source}.atDeadline`, path: ['timing', 'phases', i, 'atDeadline'] },
      ];
      const entered =
        i === 0
          ? 'the scene starts'
          : r.earliestMs === 0
            ? 'it can start as soon as the battle does'
            : `it can start at ${formatDuration(r.earliestMs)}`;
      if (minMs !== null && endsAt < minMs)
        this.problems.contradiction(
          'error',
          path,
          `phase "${ph.id}" resolves the battle as "${ph.atDeadline.outcome}" ${formatDuration(ph.deadlineMs)} after it starts (${entered}): as early as ${formatDuration(endsAt)}, before minDuration ${formatDuration(minMs)}`,
          [...involves, { rule: 'timing.minDuration', path: ['timing', 'minDuration'] }],
        );
      if (maxMs !== null && endsAt >= maxMs && ph.deadlineMs <= maxMs)
        this.problems.contradiction(
          'warning',
          path,
          `phase "${ph.id}" never resolves the battle: ${entered}, and its deadline falls at ${formatDuration(endsAt)} or later, after maxDuration ${formatDuration(maxMs)}`,
          [...involves, { rule: 'timing.maxDuration', path: ['timing', 'maxDuration'] }],
        );
    });
  }

  /** Phases whose enter condition the rules never let hold. */
  checkPhases(): void {
    const { phases } = this.pack.timing;
    const reach = reachOf(this.pack, (g) => this.blocked(g) !== undefined);
    phases.forEach((ph, i) => {
      if (i === 0 || !ph.enter || reach[i]?.reachable) return;
      const why = this.blocked(ph.enter);
      if (!why) return;
      this.problems.contradiction(
        'error',
        ['timing', 'phases', i, 'enter'],
        `phase "${ph.id}" is never reached: ${why.message}`,
        [{ rule: `${ph.source}.enter`, path: ['timing', 'phases', i, 'enter'] }, ...why.rules],
      );
    });
  }

  /** Why a condition can never hold, if the rules say so. */
  blocked(g: Guard): { message: string; rules: Involved[] } | undefined {
    switch (g.guard) {
      case 'isDown': {
        if (g.npc === this.pack.playerId) {
          const standing = this.pack.rules.find(
            (r) => r.kind === 'protect' && r.floor === 'standing' && r.targetId === g.npc && r.when.guard === 'always',
          );
          return standing
            ? { message: `the player is never downed (rule ${standing.id})`, rules: [this.rule(standing.id)] }
            : undefined;
        }
        const held = this.unbeatableNpc(g.npc);
        return held ? { message: `${g.npc} must survive and stay, so is never down or gone`, rules: held } : undefined;
      }
      case 'all': {
        for (const x of g.of) {
          const why = this.blocked(x);
          if (why) return why;
        }
        return undefined;
      }
      case 'any': {
        const whys = g.of.map((x) => this.blocked(x));
        if (whys.some((w) => !w)) return undefined;
        const all = whys.filter((w) => w !== undefined);
        return { message: all.map((w) => w.message).join('; '), rules: all.flatMap((w) => w.rules) };
      }
      default:
        return undefined;
    }
  }

  private unbeatableNpc(id: string): Involved[] | undefined {
    const survive = this.pack.rules.find(
      (r) => r.kind === 'protect' && r.floor === 'standing' && r.targetId === id && r.when.guard === 'always',
    );
    const stay = this.staysRule(id);
    return survive && stay ? [this.rule(survive.id), this.rule(stay.id)] : undefined;
  }
}
