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

/** Actions a designer may forbid: verbs (not `hold`) plus player-aimed shorthands. */
export const FORBIDDABLE = [
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
  'kill_player',
  'attack_player',
] as const;
export type Forbiddable = (typeof FORBIDDABLE)[number];

/** Verbs that take an NPC off the stage. */
export const EXIT_VERBS: readonly Verb[] = ['flee', 'leave', 'surrender'];

export const OUTCOMES = ['win', 'lose', 'draw'] as const;
/** How a battle ended, from the player's side. */
export type OutcomeName = (typeof OUTCOMES)[number];
/** What a pack may require: an outcome, or only that the player is alive at the end. */
export type RequiredOutcome = OutcomeName | 'survive';

export const STANCES = ['neutral', 'friendly', 'wary', 'hostile', 'defensive', 'retreating'] as const;
export type Stance = (typeof STANCES)[number];

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
  stance?: Stance;
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
