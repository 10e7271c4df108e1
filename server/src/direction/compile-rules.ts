import { ALWAYS, allOf, type ConditionCompiler, NEVER } from './compile-conditions.js';
import type { PackRefs } from './compile-refs.js';
import { compileAmount, expandActions, verbsOf } from './compile-verbs.js';
import type { CompiledPermit, CompiledRule, Guard, Subject, VerbMatch } from './compiled-pack.js';
import type { FieldPath, ProblemList } from './pack-problems.js';
import type { ParticipationSource, RuleSource } from './pack-source.js';
import type { VerbCategory } from './vocabulary.js';

export const DEFAULT_PRIORITY = { outcome: 100, participation: 90, rule: 50, instruction: 10 } as const;

/** Every actor, the player included: protections hold whoever strikes. */
export const ANYONE: Subject = { all: true, player: true, npcs: [], roles: [], factions: [] };

/** Where each compiled rule or permit came from, for positions in later checks. */
export type RulePaths = Map<string, FieldPath>;

export interface RuleOutput {
  rules: CompiledRule[];
  permits: CompiledPermit[];
  paths: RulePaths;
  /** The pack's verbs (built-in and declared) with their categories. */
  verbs: Record<string, VerbCategory>;
}

const onNpcs = (verbs: string[]): VerbMatch[] => verbs.map((verb) => ({ verb, onPlayer: false }));

/** Compiles `rules:` entries. */
export function compileRules(
  sources: RuleSource[],
  refs: PackRefs,
  conds: ConditionCompiler,
  problems: ProblemList,
  out: RuleOutput,
): void {
  const seen = new Set<string>();
  sources.forEach((r, i) => {
    const path = ['rules', i];
    if (seen.has(r.id)) problems.error([...path, 'id'], `duplicate rule id "${r.id}"`);
    seen.add(r.id);
    out.paths.set(r.id, path);
    const base = {
      id: r.id,
      priority: r.priority ?? DEFAULT_PRIORITY.rule,
      source: `rules[${i}]`,
      who: refs.subject(r.who, [...path, 'who']),
      when: allOf(
        conds.during(r.during, [...path, 'during']),
        r.when ? conds.compile(r.when, [...path, 'when'], true) : ALWAYS,
      ),
    };
    const extra = (field: string) =>
      problems.error([...path, field], `"${field}" does not apply to ${r.kind} rules`, undefined, true);
    const rec = r as unknown as Record<string, unknown>;
    const allowed: Record<RuleSource['kind'], string[]> = {
      forbid: ['actions', 'items', 'instead'],
      only: ['actions'],
      damage_cap: ['target', 'perHit', 'perWindow'],
      spare_downed: ['target'],
      stay_in_area: ['area'],
    };
    for (const f of ['actions', 'items', 'instead', 'target', 'perHit', 'perWindow', 'area']) {
      if (rec[f] !== undefined && !allowed[r.kind].includes(f)) extra(f);
    }
    switch (r.kind) {
      case 'forbid': {
        const matches = expandActions(r.actions, out.verbs, [...path, 'actions'], problems);
        const movement = matches.every((m) => out.verbs[m.verb] === 'exit' || out.verbs[m.verb] === 'move');
        if (r.items && !matches.some((m) => out.verbs[m.verb] === 'item'))
          problems.error([...path, 'items'], '"items" needs use_item (or an item verb) in actions', undefined, true);
        out.rules.push({
          ...base,
          kind: 'forbid',
          reason: `${r.id}: ${r.actions.join(', ')} forbidden`,
          matches,
          items: r.items ?? [],
          instead: r.instead ?? (movement ? 'hold' : 'veto'),
        });
        break;
      }
      case 'only': {
        const matches = expandActions(r.actions, out.verbs, [...path, 'actions'], problems);
        if (matches.some((m) => m.onPlayer))
          problems.error([...path, 'actions'], 'only rules list verbs or categories, not kill_player/attack_player');
        out.rules.push({
          ...base,
          kind: 'only',
          reason: `${r.id}: may only ${r.actions.join(', ')}`,
          verbs: matches.map((m) => m.verb),
        });
        break;
      }
      case 'damage_cap': {
        if (r.perHit === undefined && r.perWindow === undefined)
          problems.error(path, 'damage_cap needs perHit or perWindow');
        const target: Subject =
          r.target === undefined || r.target === 'player'
            ? { all: false, player: true, npcs: [], roles: [], factions: [] }
            : r.target === 'anyone'
              ? ANYONE
              : refs.subject(r.target, [...path, 'target']);
        const windowMs = r.perWindow ? conds.duration(r.perWindow.window, [...path, 'perWindow', 'window']) : null;
        const perHit = r.perHit === undefined ? null : compileAmount(r.perHit, [...path, 'perHit'], problems);
        const windowAmount = r.perWindow
          ? compileAmount(r.perWindow.amount, [...path, 'perWindow', 'amount'], problems)
          : null;
        if (
          perHit &&
          windowAmount &&
          'points' in perHit &&
          'points' in windowAmount &&
          perHit.points > windowAmount.points
        )
          problems.warn(
            [...path, 'perHit'],
            `perHit ${perHit.points} is above perWindow.amount ${windowAmount.points}; the window cap decides`,
          );
        out.rules.push({
          ...base,
          kind: 'damage_cap',
          reason: `${r.id}: damage capped`,
          target,
          perHit,
          window: windowAmount && windowMs !== null ? { amount: windowAmount, ms: windowMs } : null,
        });
        break;
      }
      case 'spare_downed': {
        if (r.target !== undefined && typeof r.target !== 'string')
          problems.error([...path, 'target'], 'spare_downed target is "player" or "anyone"');
        out.rules.push({
          ...base,
          kind: 'spare_downed',
          reason: `${r.id}: no attacks on the downed`,
          target: r.target === 'anyone' ? 'anyone' : 'player',
        });
        break;
      }
      case 'stay_in_area': {
        refs.area(r.area, [...path, 'area']);
        out.rules.push({ ...base, kind: 'stay_in_area', reason: `${r.id}: must stay in ${r.area}`, area: r.area });
        break;
      }
    }
  });
}

/** Compiles `participation:` entries into protections, forbids and permits. */
export function compileParticipation(
  sources: ParticipationSource[],
  refs: PackRefs,
  problems: ProblemList,
  out: RuleOutput,
): void {
  sources.forEach((p, i) => {
    const path = ['participation', i];
    if (!refs.npc(p.npc, [...path, 'npc'])) return;
    const id = p.id ?? `participation.${p.npc}`;
    const priority = p.priority ?? DEFAULT_PRIORITY.participation;
    const source = `participation[${i}]`;
    const who: Subject = { all: false, player: false, npcs: [p.npc], roles: [], factions: [] };
    if (!p.mustSurvive && p.presentUntil === undefined && p.leaveAt === undefined)
      problems.warn(path, 'participation says nothing: add mustSurvive, presentUntil or leaveAt');
    const exits = verbsOf(out.verbs, 'exit');
    if (p.mayLeave !== undefined && !p.mustSurvive)
      problems.warn([...path, 'mayLeave'], 'mayLeave applies with mustSurvive; without it the NPC may leave anyway');
    if (p.mustSurvive && !p.mayLeave && p.presentUntil === undefined && p.leaveAt === undefined) {
      // Surviving means being there at the end: an NPC that must survive does not walk away.
      out.paths.set(`${id}.must-stay`, [...path, 'mustSurvive']);
      out.rules.push({
        id: `${id}.must-stay`,
        kind: 'forbid',
        priority,
        source,
        reason: `${p.npc} must survive, and stay to the end`,
        who,
        when: ALWAYS,
        matches: onNpcs(exits),
        items: [],
        instead: 'hold',
      });
    }
    if (p.mustSurvive) {
      out.paths.set(`${id}.must-survive`, [...path, 'mustSurvive']);
      out.rules.push({
        id: `${id}.must-survive`,
        kind: 'protect',
        priority,
        source,
        reason: `${p.npc} must survive`,
        who: ANYONE,
        when: ALWAYS,
        targetId: p.npc,
        floor: 'standing',
      });
    }
    let presentIndex = -1;
    if (p.presentUntil !== undefined) {
      presentIndex =
        p.presentUntil === 'end' ? refs.phases.length : refs.phase(p.presentUntil, [...path, 'presentUntil']);
      const until: Guard =
        p.presentUntil === 'end'
          ? ALWAYS
          : presentIndex < 0
            ? NEVER
            : { guard: 'not', of: { guard: 'phaseReached', phase: p.presentUntil, index: presentIndex } };
      out.paths.set(`${id}.present-until`, [...path, 'presentUntil']);
      out.rules.push({
        id: `${id}.present-until`,
        kind: 'forbid',
        priority,
        source,
        reason: `${p.npc} must stay until ${p.presentUntil}`,
        who,
        when: until,
        matches: onNpcs(exits),
        items: [],
        instead: 'hold',
      });
    }
    if (p.leaveAt !== undefined) {
      const index = refs.phase(p.leaveAt, [...path, 'leaveAt']);
      if (index < 0) return;
      if (presentIndex >= 0 && index < presentIndex)
        problems.error(
          [...path, 'leaveAt'],
          `${p.npc} must leave at "${p.leaveAt}" but stay until "${p.presentUntil}", which comes later`,
        );
      if (p.mustSurvive === undefined && presentIndex < 0 && index === 0)
        problems.warn([...path, 'leaveAt'], `${p.npc} leaves in the first phase, as the scene starts`);
      const reached: Guard = { guard: 'phaseReached', phase: p.leaveAt, index };
      out.paths.set(`${id}.leave-at`, [...path, 'leaveAt']);
      out.rules.push({
        id: `${id}.leave-at`,
        kind: 'forbid',
        priority,
        source,
        reason: `${p.npc} is leaving`,
        who,
        when: reached,
        matches: onNpcs([...verbsOf(out.verbs, 'harm'), ...verbsOf(out.verbs, 'item'), 'taunt']),
        items: [],
        instead: 'veto',
      });
      out.permits.push({
        id: `${id}.leave-at`,
        priority,
        source,
        who,
        verbs: [...exits.filter((v) => v !== 'surrender'), ...verbsOf(out.verbs, 'move')],
        when: reached,
      });
    }
  });
}
