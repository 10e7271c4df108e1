import type { OutcomeName, RequiredOutcome, Stance } from './vocabulary.js';

/**
 * A guard named by data, never a closure, so a compiled pack can be stored, diffed and
 * versioned. `npc: 'self'` means the acting or instructed NPC. Evaluated by guards.ts.
 */
export type Guard =
  | { guard: 'always' }
  | { guard: 'never' }
  | { guard: 'elapsedAtLeast'; ms: number }
  | { guard: 'healthBelow'; npc: string; fraction: number }
  | { guard: 'isDown'; npc: string }
  | { guard: 'counterAtLeast'; counter: string; value: number }
  | { guard: 'phaseReached'; phase: string; index: number }
  | { guard: 'inPhase'; phases: string[]; indexes: number[] }
  | { guard: 'all'; of: Guard[] }
  | { guard: 'any'; of: Guard[] }
  | { guard: 'not'; of: Guard };

/** Who something applies to, resolved against the cast where possible. */
export interface Subject {
  /** Every NPC (never the player). */
  all: boolean;
  /** The player. */
  player: boolean;
  npcs: string[];
  roles: string[];
  factions: string[];
}

interface CompiledRuleBase {
  id: string;
  priority: number;
  /** Field path of its origin in the pack, e.g. `rules[2]` or `outcome`. */
  source: string;
  reason: string;
  who: Subject;
  when: Guard;
}

/** Verb match; `onPlayer` narrows it to proposals aimed at the player. */
export interface VerbMatch {
  verb: string;
  onPlayer: boolean;
}

export interface CompiledForbid extends CompiledRuleBase {
  kind: 'forbid';
  matches: VerbMatch[];
  items: string[];
  instead: 'hold' | 'veto';
}

export interface CompiledDamageCap extends CompiledRuleBase {
  kind: 'damage_cap';
  target: Subject;
  perHit: number | null;
  window: { amount: number; ms: number } | null;
}

/** Keeps one target alive (`alive`: may be downed, never killed) or standing (never downed). */
export interface CompiledProtect extends CompiledRuleBase {
  kind: 'protect';
  targetId: string;
  floor: 'alive' | 'standing';
}

export interface CompiledSpareDowned extends CompiledRuleBase {
  kind: 'spare_downed';
  target: 'player' | 'anyone';
}

export interface CompiledStayInArea extends CompiledRuleBase {
  kind: 'stay_in_area';
  area: string;
}

export type CompiledRule =
  | CompiledForbid
  | CompiledDamageCap
  | CompiledProtect
  | CompiledSpareDowned
  | CompiledStayInArea;
export type RuleKind = CompiledRule['kind'];

/** Lets its subject do `verbs` while `when` holds, over restrictions of lower priority. */
export interface CompiledPermit {
  id: string;
  priority: number;
  source: string;
  who: Subject;
  verbs: string[];
  when: Guard;
}

export interface CompiledPhase {
  id: string;
  source: string;
  /** Null: entered only from a previous phase's deadline or a `goto`. */
  enter: Guard | null;
  deadlineMs: number | null;
  atDeadline:
    | { kind: 'next' }
    | { kind: 'goto'; phase: string; index: number }
    | { kind: 'resolve'; outcome: OutcomeName };
}

export interface CompiledInstruction {
  id: string;
  priority: number;
  source: string;
  who: Subject;
  stance: Stance | null;
  aggression: number | null;
  /** Health fraction below which the NPC retreats, when `retreatWhen` holds. */
  retreatBelow: number | null;
  retreatWhen: Guard;
  targets: string[];
  lines: { id: string; cue: Guard; say: string }[];
}

export interface CastRef {
  id: string;
  role: string | null;
  faction: string | null;
  stance: Stance | null;
  /** Starting hit points, when the pack names them (used by simulate). */
  health: number | null;
}

export interface Area {
  x: [number, number];
  y: [number, number];
}

/** A validated, compiled constraint pack: plain JSON, no closures. */
export interface CompiledPack {
  format: 1;
  id: string;
  title: string;
  sceneId: string | null;
  file: string;
  playerId: string;
  cast: CastRef[];
  areas: Record<string, Area>;
  /** NPC ids the player fights; all of them out means the player won. */
  enemies: string[];
  outcome: {
    required: RequiredOutcome;
    mayDie: boolean;
    strict: boolean;
    priority: number;
  } | null;
  timing: {
    minMs: number | null;
    maxMs: number | null;
    atMax: OutcomeName | null;
    phases: CompiledPhase[];
  };
  /** Restrictions, highest priority first. */
  rules: CompiledRule[];
  permits: CompiledPermit[];
  instructions: CompiledInstruction[];
}
