import type { OutcomeName, StanceName } from '@stagecraft/protocol';
import type { RequiredOutcome, UnknownVerbPolicy, VerbCategory } from './vocabulary.js';

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
  /** True once the battle has ended (false: while it goes on). */
  resolved?: boolean;
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

/** A verb, a pack's own verb, a category (harm, exit, item, social, move…) or kill_player/attack_player. */
export type ActionName = string;

/** Hit points, or a percentage of the target's max health such as `25%`. */
export type AmountSource = number | string;

export interface ForbidSource extends RuleBase {
  kind: 'forbid';
  actions: ActionName[];
  items?: string[];
  instead?: 'hold' | 'veto';
}

export interface DamageCapSource extends RuleBase {
  kind: 'damage_cap';
  target?: 'player' | 'anyone' | WhoSource;
  perHit?: AmountSource;
  perWindow?: { amount: AmountSource; window: DurationSource };
}

export interface OnlySource extends RuleBase {
  kind: 'only';
  actions: ActionName[];
}

export interface SpareDownedSource extends RuleBase {
  kind: 'spare_downed';
  target?: 'player' | 'anyone';
}

export interface StayInAreaSource extends RuleBase {
  kind: 'stay_in_area';
  area: string;
}

export type RuleSource = ForbidSource | DamageCapSource | SpareDownedSource | StayInAreaSource | OnlySource;

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
  /** With mustSurvive: the NPC may also leave before the end (default: it stays). */
  mayLeave?: boolean;
  presentUntil?: string;
  leaveAt?: string;
  priority?: number;
}

export interface InstructionSource {
  id?: string;
  who?: WhoSource;
  /** The instruction holds only while this does. */
  when?: ConditionSource;
  stance?: StanceName;
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
  stance?: StanceName;
  health?: number;
}

export interface AreaSource {
  x: [number, number];
  y: [number, number];
}

export type SimBehaviour = 'obedient' | 'autonomous' | 'reckless';

/** The world `constraints simulate` plays a pack in (the game's own world is the game's). */
export interface SimulateSource {
  player?: { health?: number; hit?: [number, number]; attackChance?: number };
  npcHealth?: number;
  items?: { name: string; damage?: number; heal?: number }[];
  behaviour?: SimBehaviour;
  npcs?: Record<string, { behaviour?: SimBehaviour }>;
  counters?: Record<string, number>;
  tick?: DurationSource;
  cutoff?: DurationSource;
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
  /** The pack's own verbs and the category each belongs to. */
  verbs?: Record<string, VerbCategory>;
  /** Whether the server speaks instruction lines as performances; default true. */
  speakLines?: boolean;
  /** What a proposal with a verb the pack does not know gets; default veto. */
  unknownVerbs?: UnknownVerbPolicy;
  /** What may not happen once the battle has ended (protections hold then too). */
  afterResolution?: { forbid: ActionName[]; who?: WhoSource; priority?: number };
  rules?: RuleSource[];
  participation?: ParticipationSource[];
  instructions?: InstructionSource[];
  simulate?: SimulateSource;
}
