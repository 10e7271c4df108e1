import type { StanceName } from '@stagecraft/protocol';
import { subjectMatches } from '../direction/compile-refs.js';
import type { CompiledPack } from '../direction/compiled-pack.js';
import { evalGuard } from '../direction/guards.js';
import type { WorldState } from '../direction/world-state.js';
import { normalizeForMatch, type TermMatcher, termMatcher } from './normalize-text.js';
import type { LineMatchDefinition, Persona, SecretDefinition } from './persona.js';

/** Where the scene is in its story. */
export interface PhaseState {
  /** The current phase id. */
  phase: string;
  /** Every phase id in story order (the pack's phases, or just the scene's phase). */
  order: readonly string[];
}

/** What the director last told this NPC (the merged fields of its directives). */
export interface DirectiveState {
  stance?: StanceName;
  /** 0..1. */
  aggression?: number;
  targetId?: string;
}

/** An action the constraint pack forbids this NPC now: a verb (or `*_player` shorthand) and its items. */
export interface ForbiddenAction {
  verb: string;
  items: string[];
  ruleId: string;
}

export interface BoundsInput {
  persona: Persona;
  /** The scene file's `secrets`, which bind every NPC of the scene. */
  sceneSecrets?: readonly SecretDefinition[];
  phase: PhaseState;
  directive?: DirectiveState;
  forbidden?: readonly ForbiddenAction[];
  /** Display names by id, to name a target; `player` is "the player" unless named here. */
  names?: Readonly<Record<string, string>>;
}

/** One check run on every generated line. */
export interface LineCheck {
  /** `secret[0]`, `scene.secret[1]` or `rule[2]`. */
  id: string;
  kind: 'secret' | 'rule';
  matches(text: string): boolean;
}

/** What an NPC may say now: sentences for its prompt and checks for its lines. */
export interface DialogueBounds {
  /** Directions for the system prompt, one sentence each. */
  instructions: string[];
  /** Secrets whose phase has come: the NPC may now tell them. */
  revealable: string[];
  checks: LineCheck[];
}

export type BoundsVerdict = { allowed: true } | { allowed: false; kind: 'secret' | 'rule'; id: string };

/** Whether the story has reached `target`; a phase the order does not list counts as not reached. */
export function phaseReached(state: PhaseState, target: string): boolean {
  const at = state.order.indexOf(state.phase);
  const want = state.order.indexOf(target);
  if (want < 0) return false;
  return at >= want || state.phase === target;
}

const STANCE_TEXT: Record<StanceName, string> = {
  neutral: '',
  friendly: 'You are friendly toward the player: warm and open.',
  wary: 'You are wary of the player: guarded, giving little away.',
  hostile: 'You are hostile toward the player: curt and menacing.',
  defensive: 'You are on the defensive: careful, protecting yourself and yours.',
  retreating: 'You are retreating: you want out of this fight.',
};

const ACTION_TEXT: Record<string, string> = {
  attack: 'attack anyone',
  kill: 'kill anyone',
  attack_player: 'attack the player',
  kill_player: 'kill the player',
  flee: 'flee',
  leave: 'leave',
  surrender: 'surrender',
  move: 'move from where you stand',
  heal: 'heal anyone',
  taunt: 'taunt anyone',
  defend: 'defend anyone',
};

/** The sentences and checks that bound what an NPC may say in this phase, under these directives. */
export function directorBounds(input: BoundsInput): DialogueBounds {
  const instructions: string[] = [];
  const revealable: string[] = [];
  const checks: LineCheck[] = [];
  const d = input.directive ?? {};
  if (d.stance && STANCE_TEXT[d.stance]) instructions.push(STANCE_TEXT[d.stance]);
  if (d.aggression !== undefined) instructions.push(aggressionText(d.aggression));
  if (d.targetId) {
    const name = input.names?.[d.targetId] ?? (d.targetId === 'player' ? 'the player' : d.targetId);
    instructions.push(`Your attention is on ${name}.`);
  }
  for (const f of input.forbidden ?? []) {
    const what =
      f.verb === 'use_item' ? `use ${f.items.length > 0 ? orList(f.items) : 'any item'}` : ACTION_TEXT[f.verb];
    if (what) instructions.push(`Do not promise or threaten to ${what}.`);
  }
  for (const [i, rule] of input.persona.rules.entries()) {
    instructions.push(typeof rule === 'string' ? rule : rule.text);
    if (typeof rule !== 'string') checks.push(lineCheck(`rule[${i}]`, 'rule', rule));
  }
  const secrets = [
    ...input.persona.secrets.map((s, i) => [`secret[${i}]`, s] as const),
    ...(input.sceneSecrets ?? []).map((s, i) => [`scene.secret[${i}]`, s] as const),
  ];
  for (const [id, secret] of secrets) {
    if (secret.untilPhase !== undefined && phaseReached(input.phase, secret.untilPhase)) {
      revealable.push(secret.text);
      continue;
    }
    instructions.push(`Do not reveal, hint at or confirm this secret: ${secret.text}`);
    checks.push(lineCheck(id, 'secret', secret));
  }
  return { instructions, revealable, checks };
}

/** Runs every check on a generated line (or the part of it written so far). */
export function checkLine(bounds: DialogueBounds, text: string): BoundsVerdict {
  for (const c of bounds.checks) if (c.matches(text)) return { allowed: false, kind: c.kind, id: c.id };
  return { allowed: true };
}

function aggressionText(a: number): string {
  if (a < 0.25) return 'Keep your temper: no threats.';
  if (a < 0.6) return 'You may be sharp, but do not escalate.';
  return 'You are aggressive: you may taunt and threaten, in words only.';
}

function orList(items: readonly string[]): string {
  return items.length === 1 ? (items[0] as string) : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

const compiled = new WeakMap<LineMatchDefinition, (text: string) => boolean>();

function lineCheck(id: string, kind: LineCheck['kind'], def: LineMatchDefinition): LineCheck {
  let matches = compiled.get(def);
  if (!matches) {
    matches = compileMatch(def);
    compiled.set(def, matches);
  }
  return { id, kind, matches };
}

function compileMatch(def: LineMatchDefinition): (text: string) => boolean {
  const keywords = def.keywords ?? [];
  const matchers: TermMatcher[] = def.match === 'all' ? keywords.map((k) => termMatcher([k], { suffixes: true })) : [];
  const any = keywords.length > 0 && def.match !== 'all' ? termMatcher(keywords, { suffixes: true }) : undefined;
  const patterns = (def.patterns ?? []).map((p) => new RegExp(p, 'iu'));
  return (text) => {
    if (patterns.some((p) => p.test(text.normalize('NFKC')))) return true;
    if (keywords.length === 0) return false;
    const normalized = normalizeForMatch(text);
    return any ? any.test(normalized) : matchers.every((m) => m.test(normalized));
  };
}

/**
 * The actions a constraint pack forbids an NPC, to put in its prompt. With `state`, only rules
 * whose condition holds now count; a higher-priority permit for the verb lifts a forbid.
 */
export function forbiddenActions(
  pack: CompiledPack,
  npc: { id: string; role?: string | null; faction?: string | null },
  state?: WorldState,
): ForbiddenAction[] {
  const holds = (when: Parameters<typeof evalGuard>[0]) => (state ? evalGuard(when, state, npc.id) : true);
  const mine = (who: Parameters<typeof subjectMatches>[0]) =>
    subjectMatches(who, npc.id, npc.role ?? null, npc.faction ?? null, pack.playerId);
  const out: ForbiddenAction[] = [];
  for (const rule of pack.rules) {
    if (rule.kind !== 'forbid' || !mine(rule.who) || !holds(rule.when)) continue;
    for (const m of rule.matches) {
      const permitted = pack.permits.some(
        (p) => p.priority > rule.priority && p.verbs.includes(m.verb) && mine(p.who) && holds(p.when),
      );
      if (permitted) continue;
      const verb = m.onPlayer ? `${m.verb}_player` : m.verb;
      if (!out.some((o) => o.verb === verb)) out.push({ verb, items: rule.items, ruleId: rule.id });
    }
  }
  return out;
}

/**
 * The phase ids of a scene in story order: its starting phase (when the pack does not list it),
 * then the constraint pack's phases.
 */
export function phaseOrder(startPhase: string | undefined, pack?: CompiledPack): string[] {
  const phases = pack?.timing.phases.map((p) => p.id) ?? [];
  const start = startPhase ?? 'start';
  return phases.includes(start) ? phases : [start, ...phases];
}
