import { didYouMean } from '../common/near-miss.js';
import type { PackRefs } from './compile-refs.js';
import type { Guard } from './compiled-pack.js';
import { durationSuggestion, parseDurationMs } from './durations.js';
import type { FieldPath, ProblemList } from './pack-problems.js';
import type { ConditionSource, DurationSource } from './pack-source.js';
import type { RequiredOutcome } from './vocabulary.js';

const HEADS = [
  'after',
  'healthBelow',
  'playerHealthBelow',
  'down',
  'playerDown',
  'counter',
  'phase',
  'outcome',
  'resolved',
  'all',
  'any',
  'not',
];
const COMPANIONS: Record<string, string> = { npc: 'healthBelow', atLeast: 'counter' };

export const ALWAYS: Guard = { guard: 'always' };
export const NEVER: Guard = { guard: 'never' };

/** Turns YAML conditions into named guards, folding what is known when compiling. */
export class ConditionCompiler {
  constructor(
    private readonly refs: PackRefs,
    private readonly problems: ProblemList,
    private readonly required: RequiredOutcome | null,
  ) {}

  duration(value: DurationSource, path: FieldPath, allowZero = false): number | null {
    const ms = parseDurationMs(value);
    if (ms === undefined) {
      const near = typeof value === 'string' ? durationSuggestion(value) : undefined;
      this.problems.error(
        path,
        `bad duration "${value}": write e.g. 90s, 4m, 1m30s or 500ms`,
        near ? `did you mean "${near}"?` : undefined,
      );
      return null;
    }
    if (ms === 0 && !allowZero) {
      this.problems.error(path, 'duration must be longer than zero');
      return null;
    }
    return ms;
  }

  compile(c: ConditionSource, path: FieldPath, self: boolean): Guard {
    const keys = Object.keys(c);
    const heads = keys.filter((k) => HEADS.includes(k));
    if (heads.length !== 1) {
      this.problems.error(
        path,
        heads.length === 0
          ? `condition needs one of: ${HEADS.join(', ')}`
          : `condition has more than one head: ${heads.join(', ')}`,
      );
      return NEVER;
    }
    for (const k of keys) {
      const needs = COMPANIONS[k];
      if (needs && needs !== heads[0])
        this.problems.error([...path, k], `"${k}" goes only with "${needs}"`, undefined, true);
    }
    return this.head(c, path, self);
  }

  private head(c: ConditionSource, path: FieldPath, self: boolean): Guard {
    if (c.after !== undefined) {
      const ms = this.duration(c.after, [...path, 'after'], true);
      return ms === null ? NEVER : { guard: 'elapsedAtLeast', ms };
    }
    if (c.healthBelow !== undefined) {
      if (c.npc === undefined && !self) {
        this.problems.error(path, 'healthBelow needs "npc" here');
        return NEVER;
      }
      if (c.npc !== undefined && !this.refs.npc(c.npc, [...path, 'npc'], true)) return NEVER;
      return { guard: 'healthBelow', npc: c.npc ?? 'self', fraction: c.healthBelow };
    }
    if (c.playerHealthBelow !== undefined) {
      return { guard: 'healthBelow', npc: this.refs.playerId, fraction: c.playerHealthBelow };
    }
    if (c.down !== undefined) {
      return this.refs.npc(c.down, [...path, 'down'], true) ? { guard: 'isDown', npc: c.down } : NEVER;
    }
    if (c.playerDown !== undefined) {
      const g: Guard = { guard: 'isDown', npc: this.refs.playerId };
      return c.playerDown ? g : { guard: 'not', of: g };
    }
    if (c.counter !== undefined) {
      if (c.atLeast === undefined) {
        this.problems.error(path, 'counter needs "atLeast"');
        return NEVER;
      }
      return { guard: 'counterAtLeast', counter: c.counter, value: c.atLeast };
    }
    if (c.phase !== undefined) {
      const index = this.refs.phase(c.phase, [...path, 'phase']);
      return index < 0 ? NEVER : { guard: 'phaseReached', phase: c.phase, index };
    }
    if (c.outcome !== undefined) return this.required === c.outcome ? ALWAYS : NEVER;
    if (c.resolved !== undefined)
      return c.resolved ? { guard: 'resolved' } : { guard: 'not', of: { guard: 'resolved' } };
    if (c.all) return simplify({ guard: 'all', of: c.all.map((x, i) => this.compile(x, [...path, 'all', i], self)) });
    if (c.any) return simplify({ guard: 'any', of: c.any.map((x, i) => this.compile(x, [...path, 'any', i], self)) });
    if (c.not) return simplify({ guard: 'not', of: this.compile(c.not, [...path, 'not'], self) });
    return NEVER;
  }

  /** `during: [phases]` as a guard. */
  during(phases: string[] | undefined, path: FieldPath): Guard {
    if (!phases) return ALWAYS;
    const indexes = phases.map((p, i) => this.refs.phase(p, [...path, i]));
    if (indexes.some((i) => i < 0)) return NEVER;
    return { guard: 'inPhase', phases, indexes };
  }

  suggestPhase(id: string): string | undefined {
    return didYouMean(id, this.refs.phases);
  }
}

/** Folds constant parts so the engine never walks `all: [always]`. */
export function simplify(g: Guard): Guard {
  if (g.guard === 'not') {
    if (g.of.guard === 'always') return NEVER;
    if (g.of.guard === 'never') return ALWAYS;
    return g;
  }
  if (g.guard !== 'all' && g.guard !== 'any') return g;
  const neutral = g.guard === 'all' ? 'always' : 'never';
  const absorbing = g.guard === 'all' ? 'never' : 'always';
  const of = g.of.map(simplify).filter((x) => x.guard !== neutral);
  if (of.some((x) => x.guard === absorbing)) return { guard: absorbing };
  if (of.length === 0) return { guard: neutral };
  if (of.length === 1) return of[0] as Guard;
  return { guard: g.guard, of };
}

export function allOf(...guards: Guard[]): Guard {
  return simplify({ guard: 'all', of: guards });
}
