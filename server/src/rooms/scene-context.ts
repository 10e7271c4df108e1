import type { ServerMessage } from '@stagecraft/protocol';
import type { Logger } from 'pino';
import type { MediaMessage } from './media-fanout.js';
import type { SceneChange, SceneState } from './scene-state.js';

/**
 * What the parts of one scene (its performances, director and dialogue, and the handling of
 * client messages) may do to the scene: the room implements it; unit tests pass their own.
 */
export interface SceneContext {
  readonly sceneId: string;
  /** The scene's authoritative state (cast, phase, director status). */
  readonly state: SceneState;
  readonly log: Logger;
  /** Scene clock, ms since the scene started; it stands still while paused. */
  clockMs(): number;
  /** Applies a change to the scene's state and sends the delta to every client. */
  change(change: SceneChange): void;
  /** Sends a message to every client of the scene. */
  broadcast(body: ServerMessage['body']): void;
  /** Sends one message of a performance to the clients that want its NPC's media. */
  media(message: MediaMessage): void;
  /** Whether any client wants `npcId`'s audio as Opus (else no Opus is encoded for it). */
  wantsOpus(npcId: string): boolean;
  /** Appends an event to the scene's log. */
  record(kind: string, payload: unknown): void;
  /** Resolves once every event recorded so far is stored durably. */
  flush(): Promise<void>;
}
