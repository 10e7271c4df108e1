import type { CastMember, DirectorStatus, SceneDelta, SceneSnapshot } from '@stagecraft/protocol';

/** A client's view of a scene: a snapshot kept current by deltas. */
export interface SceneView {
  sceneId: string;
  title: string;
  version: number;
  phase: string;
  /** Cast by NPC id, in roster order. */
  cast: Map<string, CastMember>;
  director: DirectorStatus | undefined;
  /** Scene clock at the last snapshot or delta, ms. */
  clockMs: number;
  paused: boolean;
}

export function viewFromSnapshot(s: SceneSnapshot): SceneView {
  return {
    sceneId: s.sceneId,
    title: s.title,
    version: s.version,
    phase: s.phase,
    cast: new Map(s.cast.map((m) => [m.id, m])),
    director: s.director,
    clockMs: s.clockMs,
    paused: s.paused,
  };
}

/**
 * Applies a delta in place. Returns false, changing nothing, when the delta does not follow
 * the view's version (a gap): the client then asks for a snapshot.
 */
export function applyDelta(view: SceneView, d: SceneDelta): boolean {
  if (d.baseVersion !== view.version) return false;
  if (d.phase !== undefined) view.phase = d.phase;
  if (d.paused !== undefined) view.paused = d.paused;
  if (d.director !== undefined) view.director = d.director;
  for (const m of d.castUpserts) view.cast.set(m.id, m);
  for (const id of d.castRemoved) view.cast.delete(id);
  view.version = d.version;
  view.clockMs = d.clockMs;
  return true;
}
