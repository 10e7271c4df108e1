import { didYouMean } from '../common/near-miss.js';
import type { CastRef, Subject } from './compiled-pack.js';
import type { FieldPath, ProblemList } from './pack-problems.js';
import type { PackSource, WhoSource } from './pack-source.js';

/** A cast member known from the scene file, passed in by the caller. */
export interface KnownCastMember {
  id: string;
  role?: string;
  faction?: string;
  stance?: string;
}

/** Names a pack may refer to: cast ids, roles, factions, phases, areas. */
export class PackRefs {
  readonly cast = new Map<string, CastRef>();
  readonly roles = new Set<string>();
  readonly factions = new Set<string>();
  readonly phases: string[] = [];
  readonly areas = new Set<string>();

  constructor(
    source: PackSource,
    known: readonly KnownCastMember[],
    readonly playerId: string,
    private readonly problems: ProblemList,
  ) {
    for (const m of known) this.addCast({ id: m.id, role: m.role, faction: m.faction, stance: m.stance });
    for (const [i, m] of (source.cast ?? []).entries()) {
      if (this.cast.has(m.id) && !known.some((k) => k.id === m.id)) {
        problems.error(['cast', i, 'id'], `duplicate NPC id "${m.id}"`);
      }
      this.addCast(m);
    }
    for (const r of source.roles ?? []) this.roles.add(r);
    for (const f of source.factions ?? []) this.factions.add(f);
    for (const p of source.timing?.phases ?? []) this.phases.push(p.id);
    for (const a of Object.keys(source.areas ?? {})) this.areas.add(a);
  }

  private addCast(m: { id: string; role?: string; faction?: string; stance?: string; health?: number }): void {
    const prev = this.cast.get(m.id);
    this.cast.set(m.id, {
      id: m.id,
      role: m.role ?? prev?.role ?? null,
      faction: m.faction ?? prev?.faction ?? null,
      stance: (m.stance ?? prev?.stance ?? null) as CastRef['stance'],
      health: m.health ?? prev?.health ?? null,
    });
    if (m.role) this.roles.add(m.role);
    if (m.faction) this.factions.add(m.faction);
  }

  /** Checks an NPC id; reports an unknown one with a near-miss suggestion. */
  npc(id: string, path: FieldPath, allowPlayer = false): boolean {
    if (this.cast.has(id) || (allowPlayer && id === this.playerId)) return true;
    const names = allowPlayer ? [...this.cast.keys(), this.playerId] : this.cast.keys();
    this.problems.error(path, `unknown NPC "${id}"`, didYouMean(id, names));
    return false;
  }

  phase(id: string, path: FieldPath): number {
    const index = this.phases.indexOf(id);
    if (index < 0) this.problems.error(path, `unknown phase "${id}"`, didYouMean(id, this.phases));
    return index;
  }

  area(id: string, path: FieldPath): boolean {
    if (this.areas.has(id)) return true;
    this.problems.error(path, `unknown area "${id}"`, didYouMean(id, this.areas));
    return false;
  }

  /** Resolves a who selector; `undefined` means every NPC. */
  subject(who: WhoSource | undefined, path: FieldPath): Subject {
    if (!who) return { all: true, player: false, npcs: [], roles: [], factions: [] };
    const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
    const at = (key: string, v: string | string[] | undefined, i: number) =>
      Array.isArray(v) ? [...path, key, i] : [...path, key];
    const npcs = list(who.npc);
    const roles = list(who.role);
    const factions = list(who.faction);
    for (const [i, id] of npcs.entries()) this.npc(id, at('npc', who.npc, i));
    roles.forEach((r, i) => {
      if (!this.roles.has(r))
        this.problems.error(at('role', who.role, i), `unknown role "${r}"`, didYouMean(r, this.roles));
    });
    factions.forEach((f, i) => {
      if (!this.factions.has(f))
        this.problems.error(at('faction', who.faction, i), `unknown faction "${f}"`, didYouMean(f, this.factions));
    });
    return { all: false, player: false, npcs, roles, factions };
  }

  /** Cast ids a subject names, as far as the cast is known. */
  members(subject: Subject): string[] {
    return [...this.cast.values()]
      .filter((m) => subjectMatches(subject, m.id, m.role, m.faction, this.playerId))
      .map((m) => m.id);
  }
}

/** Whether an actor with this id, role and faction is named by the subject. */
export function subjectMatches(
  s: Subject,
  id: string,
  role: string | null | undefined,
  faction: string | null | undefined,
  playerId: string,
): boolean {
  if (id === playerId) return s.player;
  if (s.all) return true;
  return s.npcs.includes(id) || (!!role && s.roles.includes(role)) || (!!faction && s.factions.includes(faction));
}
