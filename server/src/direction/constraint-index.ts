import { subjectMatches } from './compile-refs.js';
import { harmful } from './compile-verbs.js';
import type { CompiledPack, CompiledPermit, CompiledRule } from './compiled-pack.js';
import { BUILT_IN_VERBS, type VerbCategory } from './vocabulary.js';

/** Rules and permits that can touch one verb of one actor, highest priority first. */
export interface VerbEntry {
  rules: CompiledRule[];
  permits: CompiledPermit[];
}
export type VerbTable = Map<string, VerbEntry>;

/** The table's key for verbs the pack does not know: only `only` rules reach them. */
export const UNKNOWN_VERB = '';

/** The pack's verbs; a pack persisted before it named its verbs knows the built-in ones. */
export function packVerbs(pack: CompiledPack): Record<string, VerbCategory> {
  return pack.verbs ?? BUILT_IN_VERBS;
}

/** Verbs that take an NPC out of an area: moves and exits (a surrender stays where it is). */
export function leavesAreas(verbs: Record<string, VerbCategory>, verb: string): boolean {
  return verbs[verb] === 'move' || (verbs[verb] === 'exit' && verb !== 'surrender');
}

function touches(rule: CompiledRule, verb: string, verbs: Record<string, VerbCategory>): boolean {
  switch (rule.kind) {
    case 'forbid':
      // A ban on killing the player also bans finishing them off once down, with any harmful verb.
      return rule.matches.some((m) => m.verb === verb || (m.verb === 'kill' && m.onPlayer && harmful(verbs, verb)));
    case 'damage_cap':
    case 'protect':
    case 'spare_downed':
      return harmful(verbs, verb);
    case 'stay_in_area':
      return leavesAreas(verbs, verb);
    case 'only':
      return verb !== 'hold' && !rule.verbs.includes(verb);
  }
}

/**
 * Per-actor verb tables, built once per pack so a verdict walks only the rules that can apply.
 * Actors with the same matching rules share one table; actors not in the cast (spawned at run
 * time) get theirs on first sight from the role and faction the game reported.
 */
export class EngineIndex {
  private readonly byActor = new Map<string, VerbTable>();
  private readonly bySignature = new Map<string, VerbTable>();

  constructor(readonly pack: CompiledPack) {
    for (const m of pack.cast) this.byActor.set(m.id, this.build(m.id, m.role, m.faction));
    this.byActor.set(pack.playerId, this.build(pack.playerId, null, null));
  }

  table(actorId: string, role: string | null, faction: string | null): VerbTable {
    let t = this.byActor.get(actorId);
    if (!t) {
      t = this.build(actorId, role, faction);
      this.byActor.set(actorId, t);
    }
    return t;
  }

  private build(id: string, role: string | null, faction: string | null): VerbTable {
    const { rules, permits, playerId } = this.pack;
    const ruleIdx: number[] = [];
    rules.forEach((r, i) => {
      if (subjectMatches(r.who, id, role, faction, playerId)) ruleIdx.push(i);
    });
    const permitIdx: number[] = [];
    permits.forEach((p, i) => {
      if (subjectMatches(p.who, id, role, faction, playerId)) permitIdx.push(i);
    });
    const signature = `${ruleIdx.join(',')}/${permitIdx.join(',')}`;
    const cached = this.bySignature.get(signature);
    if (cached) return cached;
    const table: VerbTable = new Map();
    const verbs = packVerbs(this.pack);
    for (const verb of Object.keys(verbs)) {
      const entryRules = ruleIdx.map((i) => rules[i] as CompiledRule).filter((r) => touches(r, verb, verbs));
      if (entryRules.length === 0) continue;
      const entryPermits = permitIdx.map((i) => permits[i] as CompiledPermit).filter((p) => p.verbs.includes(verb));
      table.set(verb, { rules: entryRules, permits: entryPermits });
    }
    const onlyRules = ruleIdx.map((i) => rules[i] as CompiledRule).filter((r) => r.kind === 'only');
    if (onlyRules.length > 0) table.set(UNKNOWN_VERB, { rules: onlyRules, permits: [] });
    this.bySignature.set(signature, table);
    return table;
  }
}
