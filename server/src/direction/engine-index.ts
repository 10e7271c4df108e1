import { subjectMatches } from './compile-refs.js';
import type { CompiledPack, CompiledPermit, CompiledRule } from './compiled-pack.js';
import { VERBS } from './vocabulary.js';

/** Rules and permits that can touch one verb of one actor, highest priority first. */
export interface VerbEntry {
  rules: CompiledRule[];
  permits: CompiledPermit[];
}
export type VerbTable = Map<string, VerbEntry>;

export const HARM_VERBS = new Set(['attack', 'kill', 'use_item']);
const AREA_VERBS = new Set(['move', 'flee', 'leave']);

function touches(rule: CompiledRule, verb: string): boolean {
  switch (rule.kind) {
    case 'forbid':
      return rule.matches.some((m) => m.verb === verb);
    case 'damage_cap':
    case 'protect':
    case 'spare_downed':
      return HARM_VERBS.has(verb);
    case 'stay_in_area':
      return AREA_VERBS.has(verb);
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
    for (const verb of VERBS) {
      const entryRules = ruleIdx.map((i) => rules[i] as CompiledRule).filter((r) => touches(r, verb));
      if (entryRules.length === 0) continue;
      const entryPermits = permitIdx.map((i) => permits[i] as CompiledPermit).filter((p) => p.verbs.includes(verb));
      table.set(verb, { rules: entryRules, permits: entryPermits });
    }
    this.bySignature.set(signature, table);
    return table;
  }
}
