import type { StanceName } from '@stagecraft/protocol';
import { subjectMatches } from './compile-refs.js';
import type { CompiledInstruction, CompiledPack, Guard } from './compiled-pack.js';
import { evalGuard, readsSelf } from './guards.js';
import { actorOf, isOut, type WorldState } from './world-state.js';

/** One NPC's instructions merged by priority: the highest-priority instruction setting a field wins. */
export interface NpcPlan {
  ruleId: string;
  stance: StanceName | null;
  aggression: number;
  retreatBelow: number | null;
  retreatWhen: Guard;
  targets: string[];
  enemy: boolean;
}

export const DEFAULT_AGGRESSION = 0.5;

const quantize = (x: number) => Math.round(x * 20) / 20;

/**
 * A plan many NPCs share, and what it works out to on the current tick: the same for every
 * NPC that has it, so a tick computes it once, not once per NPC.
 */
export class SharedPlan {
  tick = -1;
  aggression = 0;
  targetId = '';
  /** Whether the retreat condition holds; per NPC instead when it reads the NPC itself. */
  retreatOn = false;
  readonly retreatReadsSelf: boolean;

  constructor(readonly plan: NpcPlan) {
    this.retreatReadsSelf = readsSelf(plan.retreatWhen);
  }

  update(tick: number, s: WorldState, enemyFactor: number): void {
    const p = this.plan;
    this.tick = tick;
    this.aggression = quantize(Math.min(1, p.aggression * (p.enemy ? enemyFactor : 1)));
    this.targetId = '';
    for (const t of p.targets) {
      const target = actorOf(s, t);
      if (target && !isOut(target)) {
        this.targetId = t;
        break;
      }
    }
    this.retreatOn = p.retreatBelow !== null && !this.retreatReadsSelf && evalGuard(p.retreatWhen, s, '');
  }

  /** Whether this NPC's retreat condition holds now (after `update` on this tick). */
  retreatHolds(s: WorldState, npcId: string): boolean {
    if (this.plan.retreatBelow === null) return false;
    return this.retreatReadsSelf ? evalGuard(this.plan.retreatWhen, s, npcId) : this.retreatOn;
  }
}

type Line = CompiledInstruction['lines'][number];

/**
 * The instructions that can reach one NPC, shared by every NPC they match alike. With no
 * `when`, one merged plan; otherwise a plan per set of instructions holding, merged once.
 */
export class PlanSource {
  readonly fixed: SharedPlan | null;
  /** Every instruction's lines: their cues carry the instruction's condition. */
  readonly lines: Line[];
  private readonly conditional: CompiledInstruction[] | null;
  private readonly byHolding = new Map<number, SharedPlan>();
  private readonly whenReadsSelf: boolean[];
  private readonly cueReadsSelf: boolean[];
  private freeTick = -1;
  private freeHolding = 0;
  private cueTick = -1;
  private readonly cueOn: boolean[];

  constructor(
    private readonly mine: CompiledInstruction[],
    private readonly enemy: boolean,
  ) {
    const conditional = mine.some((i) => i.when && i.when.guard !== 'always');
    this.conditional = conditional ? mine : null;
    this.fixed = conditional ? null : new SharedPlan(merge(mine, enemy));
    this.lines = mine.flatMap((i) => i.lines);
    this.whenReadsSelf = mine.map((i) => (i.when ? readsSelf(i.when) : false));
    this.cueReadsSelf = this.lines.map((l) => readsSelf(l.cue));
    this.cueOn = this.lines.map(() => false);
  }

  /** The NPC's plan now: its instructions whose condition holds, merged by priority. */
  planNow(s: WorldState, npcId: string, tick: number): SharedPlan {
    if (this.fixed) return this.fixed;
    const all = this.conditional as CompiledInstruction[];
    if (all.length > 30) return new SharedPlan(merge(this.holding(s, npcId), this.enemy));
    if (this.freeTick !== tick) {
      this.freeTick = tick;
      this.freeHolding = 0;
      for (let k = 0; k < all.length; k++) {
        const when = all[k]?.when;
        if (!this.whenReadsSelf[k] && (!when || evalGuard(when, s, ''))) this.freeHolding |= 1 << k;
      }
    }
    let holding = this.freeHolding;
    for (let k = 0; k < all.length; k++) {
      if (this.whenReadsSelf[k] && evalGuard(all[k]?.when as Guard, s, npcId)) holding |= 1 << k;
    }
    let shared = this.byHolding.get(holding);
    if (!shared) {
      shared = new SharedPlan(
        merge(
          all.filter((_, k) => holding & (1 << k)),
          this.enemy,
        ),
      );
      this.byHolding.set(holding, shared);
    }
    return shared;
  }

  /** Whether line `k`'s cue holds for this NPC now. */
  cueHolds(k: number, s: WorldState, npcId: string, tick: number): boolean {
    const line = this.lines[k] as Line;
    if (this.cueReadsSelf[k]) return evalGuard(line.cue, s, npcId);
    if (this.cueTick !== tick) {
      this.cueTick = tick;
      for (let j = 0; j < this.lines.length; j++)
        if (!this.cueReadsSelf[j]) this.cueOn[j] = evalGuard((this.lines[j] as Line).cue, s, '');
    }
    return this.cueOn[k] as boolean;
  }

  private holding(s: WorldState, npcId: string): CompiledInstruction[] {
    return this.mine.filter((i) => !i.when || evalGuard(i.when, s, npcId));
  }
}

/** Instructions merged by priority (highest first in `mine`). */
function merge(mine: CompiledInstruction[], enemy: boolean): NpcPlan {
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
    enemy,
  };
}

interface PackPlans {
  enemies: Set<string>;
  byActor: Map<string, PlanSource | null>;
  bySignature: Map<string, PlanSource | null>;
}

const packs = new WeakMap<CompiledPack, PackPlans>();

/**
 * The plan source of one NPC, fixed at first sight by its id, role and faction; NPCs the same
 * instructions match share one. Null when nothing directs it (no instruction, not an enemy).
 */
export function planSourceFor(
  pack: CompiledPack,
  id: string,
  role: string | null,
  faction: string | null,
): PlanSource | null {
  let plans = packs.get(pack);
  if (!plans) {
    plans = { enemies: new Set(pack.enemies), byActor: new Map(), bySignature: new Map() };
    packs.set(pack, plans);
  }
  const known = plans.byActor.get(id);
  if (known !== undefined) return known;
  const mine = pack.instructions
    .map((instruction, index) => ({ instruction, index }))
    .filter(({ instruction }) => subjectMatches(instruction.who, id, role, faction, pack.playerId))
    .sort((a, b) => b.instruction.priority - a.instruction.priority);
  const enemy = plans.enemies.has(id);
  const signature = `${enemy ? 'e' : 'n'}:${mine.map((m) => m.index).join(',')}`;
  let source = plans.bySignature.get(signature);
  if (source === undefined) {
    source =
      mine.length === 0 && !enemy
        ? null
        : new PlanSource(
            mine.map((m) => m.instruction),
            enemy,
          );
    plans.bySignature.set(signature, source);
  }
  plans.byActor.set(id, source);
  return source;
}
