import { type Actor, type ActorOptions, createActor, type Snapshot } from 'xstate';
import type { sceneControllerMachine } from './scene-controller.machine.js';

type SceneMachine = typeof sceneControllerMachine;

/** The controller's persisted snapshot (its director's included) as plain JSON, for the event log. */
export function persistScene(actor: Actor<SceneMachine>): unknown {
  return JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
}

/**
 * Restores a scene's controller and director exactly, then re-arms its deadline timer:
 * XState does not persist `after` timers, so the deadline is kept in context as absolute
 * scene-clock ms and the timer is re-armed from there. `nowMs` is the scene clock now; `listen`
 * subscribes to the actor before it runs, so no event of the restore is missed.
 */
export function restoreScene(
  machine: SceneMachine,
  persisted: unknown,
  nowMs: number,
  options: Omit<ActorOptions<SceneMachine>, 'snapshot'> = {},
  listen?: (actor: Actor<SceneMachine>) => void,
): Actor<SceneMachine> {
  const actor = createActor(machine, { ...options, snapshot: persisted as Snapshot<unknown> as never });
  listen?.(actor);
  actor.start();
  actor.send({ type: 'scene.restored', nowMs });
  return actor;
}
