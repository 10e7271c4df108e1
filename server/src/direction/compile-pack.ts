import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { type PrunedDocument, pruneToSchema } from '../common/schema-prune.js';
import { SourceError } from '../common/source-error.js';
import { parseYamlSource, type YamlSource } from '../common/yaml-source.js';
import { ALWAYS, ConditionCompiler } from './compile-conditions.js';
import { compileInstructions } from './compile-instructions.js';
import { type KnownCastMember, PackRefs } from './compile-refs.js';
import { ANYONE, compileParticipation, compileRules, DEFAULT_PRIORITY, type RuleOutput } from './compile-rules.js';
import { compileSimulate } from './compile-simulate.js';
import { compileVerbs, expandActions } from './compile-verbs.js';
import type { CompiledPack, CompiledPhase, CompiledRule, Subject } from './compiled-pack.js';
import { type PackProblem, ProblemList, sortProblems } from './pack-problems.js';
import type { PackSource } from './pack-source.js';
import { checkPack } from './static-check.js';
import type { VerbCategory } from './vocabulary.js';

export interface CompileOptions {
  /** The scene's cast, when known; a pack may also declare its own `cast`. */
  knownCast?: readonly KnownCastMember[];
  /** Verbs the scene declares with their categories; the pack may add its own. */
  sceneVerbs?: Readonly<Record<string, VerbCategory>>;
}

export interface CompileResult {
  /** Present when there are no errors (warnings allowed). */
  pack?: CompiledPack;
  /** Errors and warnings, in file order. */
  problems: PackProblem[];
}

const schemaUrl = new URL('../../../schemas/constraint-pack.schema.json', import.meta.url);
let validator: ValidateFunction<PackSource> | undefined;

function packValidator(): ValidateFunction<PackSource> {
  validator ??= new Ajv({ allErrors: true, allowUnionTypes: true, verbose: true }).compile<PackSource>(
    JSON.parse(readFileSync(schemaUrl, 'utf8')),
  );
  return validator;
}

/**
 * Parses, validates, compiles and statically checks a pack; never throws on bad input. Every
 * problem is found in one pass: the parts the schema rejects are left out and the rest is
 * still checked for names, durations and contradictions.
 */
export function compilePack(text: string, file: string, options: CompileOptions = {}): CompileResult {
  let src: YamlSource;
  let pruned: PrunedDocument<PackSource>;
  try {
    src = parseYamlSource(text, file);
    pruned = pruneToSchema(src, packValidator());
  } catch (e) {
    if (e instanceof SourceError) return { problems: e.problems.map((p) => ({ ...p, severity: 'error' as const })) };
    throw e;
  }
  const schema = pruned.problems.map((p) => ({ ...p, severity: 'error' as const }));
  if (!pruned.value) return { problems: sortProblems(schema) };
  const problems = new ProblemList(src, pruned.originalPath, pruned.leftOut);
  const pack = compileValid(pruned.value, file, options, problems);
  const ok = schema.length === 0 && !problems.hasErrors;
  return { ...(ok ? { pack } : {}), problems: sortProblems([...schema, ...problems.items]) };
}

/** Compiles a pack or throws SourceError listing every error. */
export function loadPack(text: string, file: string, options: CompileOptions = {}): CompiledPack {
  const result = compilePack(text, file, options);
  if (!result.pack) throw new SourceError(result.problems.filter((p) => p.severity === 'error'));
  return result.pack;
}

function compileValid(source: PackSource, file: string, options: CompileOptions, problems: ProblemList): CompiledPack {
  const playerId = source.player ?? 'player';
  const refs = new PackRefs(source, options.knownCast ?? [], playerId, problems);
  const required = source.outcome?.player ?? null;
  const conds = new ConditionCompiler(refs, problems, required);
  const verbs = compileVerbs(source, problems, options.sceneVerbs);
  const out: RuleOutput = { rules: [], permits: [], paths: new Map(), verbs };

  const timing = source.timing ?? {};
  const minMs = timing.minDuration === undefined ? null : conds.duration(timing.minDuration, ['timing', 'minDuration']);
  const maxMs = timing.maxDuration === undefined ? null : conds.duration(timing.maxDuration, ['timing', 'maxDuration']);
  if (minMs !== null && maxMs !== null && minMs > maxMs)
    problems.error(
      ['timing', 'minDuration'],
      `minDuration (${timing.minDuration}) is longer than maxDuration (${timing.maxDuration})`,
    );
  if (timing.atMax && timing.maxDuration === undefined) problems.error(['timing', 'atMax'], 'atMax needs maxDuration');
  const phases = compilePhases(source, refs, conds, problems);

  const enemies = enemyIds(source, refs);
  const outcome = source.outcome
    ? {
        required: source.outcome.player,
        mayDie: source.outcome.mayDie ?? false,
        strict: source.outcome.strict ?? true,
        priority: source.outcome.priority ?? DEFAULT_PRIORITY.outcome,
      }
    : null;
  if (outcome) implyOutcomeRules(outcome, enemies, playerId, minMs, out);
  else if (minMs !== null)
    out.rules.push(protectPlayer('timing.min-duration', DEFAULT_PRIORITY.outcome, 'timing', playerId, minMs));
  out.paths.set('outcome', ['outcome']);
  for (const id of ['outcome.player-standing', 'outcome.player-alive', 'outcome.enemies-stay'])
    out.paths.set(id, ['outcome', 'player']);
  out.paths.set('timing.min-duration', ['timing', 'minDuration']);

  compileRules(source.rules ?? [], refs, conds, problems, out);
  compileAfterResolution(source, refs, problems, out);
  compileParticipation(source.participation ?? [], refs, problems, out);
  const instructions = compileInstructions(source.instructions ?? [], refs, conds, out);
  out.rules.sort((a, b) => b.priority - a.priority);
  out.permits.sort((a, b) => b.priority - a.priority);

  const pack: CompiledPack = {
    format: 1,
    id: source.pack,
    title: source.title ?? source.pack,
    sceneId: source.scene ?? null,
    file,
    playerId,
    cast: [...refs.cast.values()],
    areas: source.areas ?? {},
    enemies,
    verbs,
    unknownVerbs: source.unknownVerbs ?? 'veto',
    speakLines: source.speakLines ?? true,
    outcome,
    timing: { minMs, maxMs, atMax: timing.atMax ?? (maxMs === null ? null : 'draw'), phases },
    rules: out.rules,
    permits: out.permits,
    instructions,
    simulate: compileSimulate(source, refs, conds),
  };
  // A duration written but malformed is already reported; the checks below would read it as absent.
  const timingKnown =
    (minMs !== null) === (timing.minDuration !== undefined) && (maxMs !== null) === (timing.maxDuration !== undefined);
  checkPack(pack, out.paths, problems, timingKnown);
  return pack;
}

/** `afterResolution: { forbid }`: a forbid that holds once the battle has ended. */
function compileAfterResolution(source: PackSource, refs: PackRefs, problems: ProblemList, out: RuleOutput): void {
  const after = source.afterResolution;
  if (!after) return;
  const path = ['afterResolution'];
  out.paths.set(AFTER_RESOLUTION, path);
  const matches = expandActions(after.forbid, out.verbs, [...path, 'forbid'], problems);
  out.rules.push({
    id: AFTER_RESOLUTION,
    kind: 'forbid',
    priority: after.priority ?? DEFAULT_PRIORITY.outcome,
    source: 'afterResolution',
    reason: `the battle is over: ${after.forbid.join(', ')} forbidden`,
    who: refs.subject(after.who, [...path, 'who']),
    when: { guard: 'resolved' },
    matches,
    items: [],
    instead: 'veto',
  });
}

/** The rule id of `afterResolution`. */
export const AFTER_RESOLUTION = 'after-resolution';

function enemyIds(source: PackSource, refs: PackRefs): string[] {
  if (source.outcome?.enemies) return refs.members(refs.subject(source.outcome.enemies, ['outcome', 'enemies']));
  const cast = [...refs.cast.values()];
  const hostile = cast.filter((m) => m.stance === 'hostile');
  return (hostile.length > 0 ? hostile : cast).map((m) => m.id);
}

function protectPlayer(
  id: string,
  priority: number,
  source: string,
  playerId: string,
  beforeMs: number | null,
): CompiledRule {
  return {
    id,
    kind: 'protect',
    priority,
    source,
    reason: beforeMs === null ? 'the player must stay standing' : 'the player may not go down this early',
    who: ANYONE,
    when: beforeMs === null ? ALWAYS : { guard: 'not', of: { guard: 'elapsedAtLeast', ms: beforeMs } },
    targetId: playerId,
    floor: 'standing',
  };
}

function implyOutcomeRules(
  o: NonNullable<CompiledPack['outcome']>,
  enemies: string[],
  playerId: string,
  minMs: number | null,
  out: RuleOutput,
): void {
  const p = o.priority;
  if (o.required === 'win' || o.required === 'draw')
    out.rules.push(protectPlayer('outcome.player-standing', p, 'outcome', playerId, null));
  else {
    // Before min-duration, so that a finishing blow on a downed player names the rule about dying.
    if (!o.mayDie || o.required === 'survive')
      out.rules.push({
        id: 'outcome.player-alive',
        kind: 'protect',
        priority: p,
        source: 'outcome',
        reason: o.required === 'survive' ? 'the player must survive' : 'the player may lose but not die',
        who: ANYONE,
        when: ALWAYS,
        targetId: playerId,
        floor: 'alive',
      });
    if (minMs !== null) out.rules.push(protectPlayer('timing.min-duration', p, 'timing', playerId, minMs));
  }
  if (o.required === 'lose' || o.required === 'draw') {
    const who: Subject = { all: false, player: false, npcs: enemies, roles: [], factions: [] };
    out.rules.push({
      id: 'outcome.enemies-stay',
      kind: 'forbid',
      priority: p,
      source: 'outcome',
      reason: 'enemies stay and fight',
      who,
      when: ALWAYS,
      matches: ['flee', 'leave', 'surrender'].map((verb) => ({ verb, onPlayer: false })),
      items: [],
      instead: 'hold',
    });
  }
}

function compilePhases(
  source: PackSource,
  refs: PackRefs,
  conds: ConditionCompiler,
  problems: ProblemList,
): CompiledPhase[] {
  const list = source.timing?.phases ?? [];
  const seen = new Set<string>();
  return list.map((ph, i) => {
    const path = ['timing', 'phases', i];
    if (seen.has(ph.id)) problems.error([...path, 'id'], `duplicate phase id "${ph.id}"`);
    seen.add(ph.id);
    if (i === 0 && ph.enter)
      problems.warn([...path, 'enter'], 'the first phase starts with the scene; its enter condition is not used');
    const deadlineMs = ph.deadline === undefined ? null : conds.duration(ph.deadline, [...path, 'deadline']);
    let atDeadline: CompiledPhase['atDeadline'] = { kind: 'next' };
    const at = ph.atDeadline;
    if (at !== undefined && ph.deadline === undefined)
      problems.error([...path, 'atDeadline'], 'atDeadline needs a deadline');
    if (at && typeof at === 'object' && 'goto' in at) {
      const index = refs.phase(at.goto, [...path, 'atDeadline', 'goto']);
      if (index >= 0) atDeadline = { kind: 'goto', phase: at.goto, index };
    } else if (at && typeof at === 'object' && 'resolve' in at) atDeadline = { kind: 'resolve', outcome: at.resolve };
    if (deadlineMs !== null && atDeadline.kind === 'next' && i === list.length - 1)
      problems.error(
        [...path, 'deadline'],
        'the last phase has no next phase: give atDeadline {resolve: …} or {goto: …}',
      );
    return {
      id: ph.id,
      source: `timing.phases[${i}]`,
      enter: i === 0 || !ph.enter ? null : conds.compile(ph.enter, [...path, 'enter'], false),
      deadlineMs,
      atDeadline,
    };
  });
}
