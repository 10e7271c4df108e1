import { ErrorCode, ServerError } from '@colyseus/core';
import type { ClientRole } from '@stagecraft/protocol';
import type { InlineScenesConfig } from '../config/config.js';
import type { LocalScenes } from '../scenes/local-scenes.js';
import type { SceneCatalog } from '../scenes/scene-catalog.js';
import type { SceneResume } from './scene-resume.js';

/** The join option the server sets (never the client) to say who asked for an inline scene. */
export const CREATED_BY = 'createdBy';

/**
 * At authentication: whether `role` may create a scene from an inline definition, and a cast
 * small enough. Throws ServerError naming the setting that refuses it.
 */
export function checkInlineRequest(policy: InlineScenesConfig, role: ClientRole, scene: unknown): void {
  if (policy.roles.length === 0) {
    throw new ServerError(
      ErrorCode.AUTH_FAILED,
      'inline scenes are off on this server (STAGECRAFT_INLINE_SCENES); join a scene file by its id',
    );
  }
  if (!policy.roles.includes(role)) {
    throw new ServerError(
      ErrorCode.AUTH_FAILED,
      `a ${role} may not create inline scenes (STAGECRAFT_INLINE_SCENES allows ${policy.roles.join(', ')})`,
    );
  }
  const cast = (scene as { cast?: unknown } | null)?.cast;
  if (Array.isArray(cast) && cast.length > policy.maxCast) {
    throw new ServerError(
      ErrorCode.MATCHMAKE_INVALID_CRITERIA,
      `scene.cast has ${cast.length} NPCs; an inline scene may have at most ${policy.maxCast} (STAGECRAFT_INLINE_MAX_CAST)`,
    );
  }
}

export interface InlineCreate {
  sceneId: string;
  createdBy: string;
  policy: InlineScenesConfig;
  catalog: SceneCatalog;
  live: LocalScenes;
  resume: SceneResume;
}

/**
 * At creation: an inline scene never takes the id of a scene file (loaded or broken) or of a
 * suspended scene, and stays within the per-client and per-server counts. (A live scene's id is
 * refused by the one-room-per-id check.)
 */
export async function checkInlineCreate(c: InlineCreate): Promise<void> {
  const invalid = (message: string) => new ServerError(ErrorCode.MATCHMAKE_INVALID_CRITERIA, message);
  if (c.catalog.get(c.sceneId) || c.catalog.problemFor(c.sceneId)) {
    throw invalid(`a scene file has the id "${c.sceneId}"; join it by its id, or give the inline scene another id`);
  }
  if (await c.resume.load(c.sceneId)) {
    throw invalid(`scene "${c.sceneId}" is suspended and resumes when joined; give the inline scene another id`);
  }
  assertRoom(c);
}

/** The counts, checked again just before the room registers itself (nothing awaits in between). */
export function assertRoom(c: Pick<InlineCreate, 'createdBy' | 'policy' | 'live'>): void {
  const invalid = (message: string) => new ServerError(ErrorCode.MATCHMAKE_INVALID_CRITERIA, message);
  if (c.live.inlineCount(c.createdBy) >= c.policy.perClient) {
    throw invalid(
      `this client already has ${c.policy.perClient} inline scenes live (STAGECRAFT_INLINE_PER_CLIENT); leave one first`,
    );
  }
  if (c.live.inlineCount() >= c.policy.perServer) {
    throw invalid(`this server already has ${c.policy.perServer} inline scenes live (STAGECRAFT_INLINE_PER_SERVER)`);
  }
}
