import type { Proposal } from '../vocabulary.js';
import { type ActorReport, type ActorState, actorOf, type SceneState } from '../world-state.js';

/**
 * Carries out an action in the simulated world, the way a game would, and returns the
 * reports of the actors it changed. The game owns the simulation; this is a stand-in.
 */
export function performAction(world: SceneState, a: Proposal): ActorReport[] {
  const actor = actorOf(world, a.actorId);
  const target = a.targetId ? actorOf(world, a.targetId) : undefined;
  const changed: ActorState[] = [];
  switch (a.verb) {
    case 'attack':
    case 'kill':
    case 'use_item': {
      if (!target || target.dead) break;
      if (a.verb === 'use_item' && !(a.amount > 0)) break;
      if (a.verb === 'kill' || target.downed) {
        target.dead = true;
        target.downed = true;
        target.health = 0;
      } else {
        target.health = Math.max(0, target.health - a.amount);
        if (target.health === 0) target.downed = true;
      }
      changed.push(target);
      break;
    }
    case 'heal':
      if (target && !target.dead && a.amount > 0) {
        target.health = Math.min(target.maxHealth, target.health + a.amount);
        target.downed = false;
        changed.push(target);
      }
      break;
    case 'flee':
    case 'leave':
    case 'surrender':
      if (actor) {
        actor.present = false;
        changed.push(actor);
      }
      break;
    case 'move':
      if (actor && a.params) {
        if (a.params.area !== undefined) actor.area = a.params.area;
        if (a.params.x !== undefined && a.params.y !== undefined) {
          actor.x = Number(a.params.x);
          actor.y = Number(a.params.y);
        }
        changed.push(actor);
      }
      break;
  }
  return changed.map((c) => ({ ...c }) as ActorReport);
}
