import type { SimItem } from '../compiled-pack.js';
import { BUILT_IN_VERBS, type Proposal, type VerbCategory } from '../vocabulary.js';
import { type ActorReport, type ActorState, actorOf, type WorldState } from '../world-state.js';

/**
 * Carries out an action in the simulated world, the way a game would, and returns the
 * reports of the actors it changed. The game owns the simulation; this is a stand-in.
 */
export function performAction(
  world: WorldState,
  a: Proposal,
  verbs: Readonly<Record<string, VerbCategory>> = BUILT_IN_VERBS,
  items: readonly SimItem[] = [],
): ActorReport[] {
  const actor = actorOf(world, a.actorId);
  const target = a.targetId ? actorOf(world, a.targetId) : undefined;
  const changed: ActorState[] = [];
  const item = verbs[a.verb] === 'item' ? items.find((i) => i.name === a.params?.item) : undefined;
  if (item && item.heal > 0 && actor && !actor.dead) {
    actor.health = Math.min(actor.maxHealth, actor.health + item.heal);
    changed.push(actor);
  }
  switch (verbs[a.verb]) {
    case 'harm':
    case 'item': {
      if (!target || target.dead) break;
      if (verbs[a.verb] === 'item' && !(a.amount > 0)) break;
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
    case 'exit':
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
