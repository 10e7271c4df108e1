import type { Forbiddable, OutcomeName, RequiredOutcome, Stance } from './vocabulary.js';

/** A duration as written: `90s`, `4m`, `1m30s`, `500ms`, or a number of ms. */
export type DurationSource = string | number;
type OneOrMany = string | string[];

/** Who a rule is about; an absent selector means every NPC. Matches any listed id, role or faction. */
export interface WhoSource {
  npc?: OneOrMany;
  role?: OneOrMany;
  faction?: OneOrMany;
}

/** A condition as written; exactly one head key (see docs/constraints.md). */
export interface ConditionSource {
  after?: DurationSource;
  npc?: string;
  healthBelow?: number;
  playerHealthBelow?: number;
  down?: string;
  playerDown?: boolean;
  counter?: string;
  atLeast?: number;
  phase?: string;
  outcome?: RequiredOutcome;
  all?: ConditionSource[];
  any?: ConditionSource[];
  not?: ConditionSource;
}

interface RuleBase {
  id: string;
  who?: WhoSource;
  priority?: number;
  during?: string[];
  when?: ConditionSource;
  note?: string;
}

export interface ForbidSource extends RuleBase {
  kind: 'forbid';
  actions: Forbiddable[];
  items?: string[];
  instead?: 'hold' | 'veto';
}

export interface DamageCapSource extends RuleBase {
  kind: 'damage_cap';
  target?: 'player' | 'anyone' | WhoSource;
  perHit?: number;
  perWindow?: { amount: number; window: DurationSource };
}

export interface SpareDownedSource extends RuleBase {
  kind: 'spare_downed';
  target?: 'player' | 'anyone';
}

export interface StayInAreaSource extends RuleBase {
  kind: 'stay_in_area';
  area: string;
}

export type RuleSource = ForbidSource | DamageCapSource | SpareDownedSource | StayInAreaSource;

export interface PhaseSource {
  id: string;
  enter?: ConditionSource;
  deadline?: DurationSource;
  atDeadline?: 'next' | { goto: string } | { resolve: OutcomeName };
  note?: string;
}

export interface ParticipationSource {
  id?: string;
  npc: string;
  mustSurvive?: boolean;
  presentUntil?: string;
  leaveAt?: string;
  priority?: number;
}

export interface InstructionSource {
  id?: string;
  who?: WhoSource;
  stance?: Stance;
  aggression?: number;
  retreat?: { below: number; unless?: ConditionSource[] };
  targets?: string[];
  lines?: { cue: ConditionSource; say: string }[];
  priority?: number;
}

export interface CastRefSource {
  id: string;
  name?: string;
  role?: string;
  faction?: string;
  stance?: Stance;
  health?: number;
}

export interface AreaSource {
  x: [number, number];
  y: [number, number];
}

/** A constraint pack as written in YAML (schemas/constraint-pack.schema.json). */
export interface PackSource {
  pack: string;
  title?: string;
  scene?: string;
  player?: string;
  cast?: CastRefSource[];
  roles?: string[];
  factions?: string[];
  areas?: Record<string, AreaSource>;
  outcome?: {
    player: RequiredOutcome;
    mayDie?: boolean;
    enemies?: WhoSource;
    strict?: boolean;
    priority?: number;
  };
  timing?: {
    minDuration?: DurationSource;
    maxDuration?: DurationSource;
    atMax?: OutcomeName;
    phases?: PhaseSource[];
  };
  rules?: RuleSource[];
  participation?: ParticipationSource[];
  instructions?: InstructionSource[];
}
