import { ErrorCode as MatchErrorCode, ServerError } from '@colyseus/core';
import { didYouMean } from '../common/near-miss.js';
import { SourceError } from '../common/source-error.js';
import type { SceneCatalog } from '../scenes/scene-catalog.js';
import { type SceneDefinition, validateSceneDefinition } from '../scenes/scene-definition.js';
import type { JoinOptions } from './join-options.js';

/**
 * The definition of the scene a join asks for: the inline one it carries, or the scene file
 * of its id. Fails the join with a message naming the problem (and the nearest scene id).
 */
export function resolveScene(join: JoinOptions, catalog: SceneCatalog): SceneDefinition {
  if (join.scene !== undefined) {
    const definition = sourceErrorsAsServerErrors(() => validateSceneDefinition(join.scene));
    if (definition.id !== join.sceneId) {
      throw new ServerError(
        MatchErrorCode.MATCHMAKE_INVALID_CRITERIA,
        `scene.id "${definition.id}" differs from sceneId "${join.sceneId}"`,
      );
    }
    return definition;
  }
  const found = catalog.get(join.sceneId);
  if (found) return found;
  const broken = catalog.problemFor(join.sceneId);
  if (broken) throw new ServerError(MatchErrorCode.MATCHMAKE_INVALID_CRITERIA, broken.problems.join('\n'));
  const ids = catalog.list().map((s) => s.scene.id);
  const hint = didYouMean(join.sceneId, ids);
  throw new ServerError(
    MatchErrorCode.MATCHMAKE_INVALID_CRITERIA,
    `unknown scene "${join.sceneId}"${hint ? ` (${hint})` : ''}; scene files: ${ids.join(', ') || 'none'}`,
  );
}

function sourceErrorsAsServerErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SourceError) throw new ServerError(MatchErrorCode.MATCHMAKE_INVALID_CRITERIA, e.message);
    throw e;
  }
}
