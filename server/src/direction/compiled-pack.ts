import type { OutcomeName, StanceName } from '@stagecraft/protocol';
import type { RequiredOutcome, UnknownVerbPolicy, VerbCategory } from './vocabulary.js';

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
  | { guard: 'resolved' }
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

/** Hit points, absolute or as a fraction of the target's max health. */
export type Amount = { points: number } | { fraction: number };

export interface CompiledDamageCap extends CompiledRuleBase {
  kind: 'damage_cap';
  target: Subject;
  perHit: Amount | null;
  window: { amount: Amount; ms: number } | null;
}

/** The subjects may do only these verbs (and hold); anything else is vetoed. */
export interface CompiledOnly extends CompiledRuleBase {
  kind: 'only';
  verbs: string[];
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
  | CompiledStayInArea
  | CompiledOnly;
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
  /** The instruction holds only while this does; its fields then override lower priorities. */
  when: Guard;
  stance: StanceName | null;
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
  stance: StanceName | null;
  /** Starting hit points, when the pack names them (used by simulate). */
  health: number | null;
}

export interface Area {
  x: [number, number];
  y: [number, number];
}

/** One item the simulated NPCs may use. */
export interface SimItem {
  name: string;
  /** Hit points it takes from its target. */
  damage: number;
  /** Hit points it gives back to its user. */
  heal: number;
}

export type SimBehaviourName = 'obedient' | 'autonomous' | 'reckless';

/** The simulated world of `constraints simulate`, every default filled in. */
export interface SimWorld {
  playerHealth: number;
  playerHit: [number, number];
  playerAttackChance: number;
  npcHealth: number;
  items: SimItem[];
  behaviour: SimBehaviourName;
  /** NPC id → its behaviour, where it differs. */
  npcs: Record<string, SimBehaviourName>;
  /** Counter name → how much it grows per second; others grow by the default. */
  counters: Record<string, number>;
  /** Growth per second of counters `counters` does not name. */
  counterRate: number;
  tickMs: number;
  /** Where a battle with no maxDuration is cut off. */
  cutoffMs: number;
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
  /** Every verb the pack knows (the built-in ones and its own) and its category. */
  verbs: Record<string, VerbCategory>;
  /** What a proposal with any other verb gets. */
  unknownVerbs: UnknownVerbPolicy;
  /** Whether the server speaks directive lines (false: the game voices them itself). */
  speakLines: boolean;
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
  /** The world `constraints simulate` plays the pack in. */
  simulate: SimWorld;
}
