import type { OutcomeName, StanceName } from '@stagecraft/protocol';

/**
 * The words of direction, as plain data that maps 1:1 onto `stagecraft.v1` wire messages
 * (ActionProposal, Verdict, Directive in schemas/proto/stagecraft/v1/direction.proto).
 */

/** Verbs the engine understands. A proposal may carry another verb; no rule matches it then. */
export const VERBS = [
  'attack',
  'kill',
  'flee',
  'leave',
  'surrender',
  'move',
  'use_item',
  'heal',
  'say',
  'taunt',
  'defend',
  'hold',
] as const;
export type Verb = (typeof VERBS)[number];

/**
 * What a verb does, for the rules: a pack's own verbs (`verbs: { restrain: harm }`) belong to
 * one, so rules written for the category cover them.
 * - harm: takes hit points from its target (`amount`);
 * - exit: takes the NPC off the stage;
 * - move: moves it (`params.x`/`y` or `params.area`);
 * - item: uses an item (`params.item`), harmful when `amount` > 0;
 * - heal: gives hit points back;
 * - social: speech and gestures;
 * - defend: guarding or doing nothing.
 */
export const VERB_CATEGORIES = ['harm', 'exit', 'move', 'item', 'heal', 'social', 'defend'] as const;
export type VerbCategory = (typeof VERB_CATEGORIES)[number];

export const BUILT_IN_VERBS: Readonly<Record<Verb, VerbCategory>> = {
  attack: 'harm',
  kill: 'harm',
  flee: 'exit',
  leave: 'exit',
  surrender: 'exit',
  move: 'move',
  use_item: 'item',
  heal: 'heal',
  say: 'social',
  taunt: 'social',
  defend: 'defend',
  hold: 'defend',
};

/** Action names a forbid or only rule may list besides verbs: categories and player-aimed shorthands. */
export const ACTION_SHORTHANDS = ['harm', 'exit', 'item', 'social', 'kill_player', 'attack_player'] as const;

/** What a proposal with a verb nobody declared gets: `veto` (default), `allow`, or `warn` (allowed, naming the rule). */
export const UNKNOWN_VERB_POLICIES = ['veto', 'allow', 'warn'] as const;
export type UnknownVerbPolicy = (typeof UNKNOWN_VERB_POLICIES)[number];

/** The rule a verdict on an undeclared verb names. */
export const UNKNOWN_VERB_RULE = 'vocabulary.unknown-verb';

/** Verbs that take an NPC off the stage. */
export const EXIT_VERBS: readonly Verb[] = ['flee', 'leave', 'surrender'];

/** What a pack may require: an outcome, or only that the player is alive at the end. */
export type RequiredOutcome = OutcomeName | 'survive';

/** An action an NPC (or the player, for protected targets) wants to take. */
export interface Proposal {
  proposalId: string;
  actorId: string;
  verb: string;
  /** Empty when the verb has no target. */
  targetId: string;
  /** Verb-specific magnitude: damage or healing in hit points. */
  amount: number;
  /** `x`/`y` (world units) or `area` for moves, `item` for use_item. */
  params?: Record<string, string>;
}

export type Decision = 'allow' | 'rewrite' | 'veto';

/** The engine's answer to one proposal. */
export interface Verdict {
  proposalId: string;
  decision: Decision;
  /** Id of the rule that decided; empty when no rule applied. */
  ruleId: string;
  reason: string;
  /** The action to perform instead, when decision is `rewrite`. */
  rewritten?: Proposal;
  /** Time the engine took, µs; filled in by callers that measure it. */
  decidedInUs?: number;
}

/** A high-level instruction to one NPC; absent fields keep their current value. */
export interface Directive {
  npcId: string;
  stance?: StanceName;
  /** 0..1. */
  aggression?: number;
  targetId?: string;
  /** Retreat when health falls below this fraction, 0..1; 0 means never. */
  retreatBelowHealth?: number;
  say?: string;
  /** Rule or director state that issued it. */
  ruleId: string;
  /** Scene clock when issued, ms. */
  issuedAtMs: number;
}
