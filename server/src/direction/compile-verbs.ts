import { didYouMean } from '../common/near-miss.js';
import type { Amount, VerbMatch } from './compiled-pack.js';
import type { FieldPath, ProblemList } from './pack-problems.js';
import type { ActionName, AmountSource, PackSource } from './pack-source.js';
import { ACTION_SHORTHANDS, BUILT_IN_VERBS, VERB_CATEGORIES, type VerbCategory } from './vocabulary.js';

const VERB_NAME = /^[a-z][a-z0-9_]{0,63}$/;
/** Category names a verb may not take, so that an action name means one thing. */
const RESERVED = new Set<string>([...VERB_CATEGORIES, ...ACTION_SHORTHANDS]);

/** What is wrong with a name for a verb of one's own, or null. */
export function verbNameProblem(verb: string): string | null {
  if (!VERB_NAME.test(verb)) return `verb "${verb}" must be lower case letters, digits and "_", starting with a letter`;
  if (Object.hasOwn(BUILT_IN_VERBS, verb))
    return `"${verb}" is a built-in verb (${BUILT_IN_VERBS[verb as keyof typeof BUILT_IN_VERBS]}); leave it out`;
  if (RESERVED.has(verb)) return `"${verb}" names a category; give the verb another name`;
  return null;
}

/**
 * The pack's verbs: the built-in ones, those of the scene it runs in (checked with the scene
 * file), and those the pack declares, each with its category.
 */
export function compileVerbs(
  source: PackSource,
  problems: ProblemList,
  sceneVerbs: Readonly<Record<string, VerbCategory>> = {},
): Record<string, VerbCategory> {
  const verbs: Record<string, VerbCategory> = { ...BUILT_IN_VERBS };
  for (const [verb, category] of Object.entries(sceneVerbs)) if (!verbNameProblem(verb)) verbs[verb] = category;
  for (const [verb, category] of Object.entries(source.verbs ?? {})) {
    const path = ['verbs', verb];
    const problem = verbNameProblem(verb);
    if (problem) problems.error(path, problem, undefined, true);
    else if (Object.hasOwn(sceneVerbs, verb) && sceneVerbs[verb] !== category)
      problems.error(path, `"${verb}" is a ${sceneVerbs[verb]} verb in the scene; the pack says ${category}`);
    else verbs[verb] = category;
  }
  return verbs;
}

/** The verbs of a category, the ones a pack declared included; `hold` is never among them. */
export function verbsOf(verbs: Record<string, VerbCategory>, category: VerbCategory): string[] {
  return Object.keys(verbs).filter((v) => verbs[v] === category && v !== 'hold');
}

/**
 * The verbs an action name stands for: a verb; a category (`harm`, `exit`, `item`, `social`, and
 * `move`, `heal`, `defend`, which also cover the pack's own verbs of that kind); or a player-aimed
 * shorthand. Reports an unknown name with a near-miss suggestion.
 */
export function expandActions(
  actions: readonly ActionName[],
  verbs: Record<string, VerbCategory>,
  path: FieldPath,
  problems: ProblemList,
): VerbMatch[] {
  const out: VerbMatch[] = [];
  const add = (verb: string, onPlayer = false) => {
    if (!out.some((m) => m.verb === verb && m.onPlayer === onPlayer)) out.push({ verb, onPlayer });
  };
  actions.forEach((action, i) => {
    if (action === 'kill_player') add('kill', true);
    else if (action === 'attack_player') add('attack', true);
    else if ((VERB_CATEGORIES as readonly string[]).includes(action))
      for (const v of verbsOf(verbs, action as VerbCategory)) add(v);
    else if (Object.hasOwn(verbs, action) && action !== 'hold') add(action);
    else {
      const names = [...Object.keys(verbs).filter((v) => v !== 'hold'), ...VERB_CATEGORIES, ...ACTION_SHORTHANDS];
      const what =
        action === 'hold'
          ? '"hold" cannot be forbidden: it is what forbidden actions become'
          : `unknown action "${action}"`;
      problems.error([...path, i], `${what}; declare your own verbs under "verbs"`, didYouMean(action, names));
    }
  });
  return out;
}

/** Whether a verb takes hit points when its amount is positive (harm verbs and items). */
export function harmful(verbs: Record<string, VerbCategory>, verb: string): boolean {
  const c = verbs[verb];
  return c === 'harm' || c === 'item';
}

const PERCENT = /^(\d+(?:\.\d+)?)%$/;

/** `25` hit points or `25%` of the target's max health. */
export function compileAmount(value: AmountSource, path: FieldPath, problems: ProblemList): Amount | null {
  if (typeof value === 'number') return { points: value };
  const m = PERCENT.exec(value.trim());
  const pct = m ? Number(m[1]) : Number.NaN;
  if (!(pct >= 0 && pct <= 100)) {
    problems.error(path, `bad amount "${value}": write hit points (25) or a share of max health (25%)`);
    return null;
  }
  return { fraction: pct / 100 };
}

/** The hit points an amount stands for against a target with `maxHealth`. */
export function amountOf(a: Amount, maxHealth: number): number {
  return 'points' in a ? a.points : a.fraction * maxHealth;
}
