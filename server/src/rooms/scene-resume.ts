import type { Database } from '../persistence/index.js';

/** Where a scene that was still running when its server stopped picks up again. */
export interface ResumePoint {
  /** Scene clock when the snapshot was taken, ms. */
  clockMs: number;
  /** The SceneController's persisted snapshot. */
  director: unknown;
  phase: string;
  /** Verdicts, rewrites and vetoes so far. */
  counts?: { verdicts: number; rewrites: number; vetoes: number };
  /** Directives issued in the current life of the scene, and how many times it was restored. */
  directives?: number;
  lives?: number;
}

/** Finds the resume point of a scene, if it was live when its process stopped. */
export interface SceneResume {
  load(sceneId: string): Promise<ResumePoint | undefined>;
}

export const DIRECTOR_SNAPSHOT = 'director.snapshot';

export function databaseResume(db: Database): SceneResume {
  return {
    async load(sceneId) {
      const scene = await db.query<{ status: string }>('select status from scenes where id = $1', [sceneId]);
      if (scene.rows[0]?.status !== 'live') return undefined;
      const last = await db.query<{ payload: ResumePoint }>(
        'select payload from scene_events where scene_id = $1 and kind = $2 order by seq desc limit 1',
        [sceneId, DIRECTOR_SNAPSHOT],
      );
      return last.rows[0]?.payload;
    },
  };
}
