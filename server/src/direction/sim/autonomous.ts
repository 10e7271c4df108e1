import type { CompiledPack, SimBehaviourName } from '../compiled-pack.js';
import type { Directive, Proposal } from '../vocabulary.js';
import { type ActorState, isOut, type WorldState } from '../world-state.js';
import type { Rng } from './rng.js';

/** What an NPC was last told, as its AI in the game would keep it. */
export interface NpcMind {
  aggression: number;
  targetId: string;
  stance: string;
  retreatBelow: number;
}

export function heed(mind: NpcMind, d: Directive): void {
  if (d.aggression !== undefined) mind.aggression = d.aggression;
  if (d.targetId !== undefined) mind.targetId = d.targetId;
  if (d.stance !== undefined) mind.stance = d.stance;
  if (d.retreatBelowHealth !== undefined) mind.retreatBelow = d.retreatBelowHealth;
}

const MISCHIEF = ['flee', 'leave', 'surrender', 'kill', 'use_item', 'move', 'taunt', 'heal', 'attack'] as const;

/** How often, per behaviour, an NPC's own AI does something its directive did not ask for. */
export const MISCHIEF_CHANCE: Record<SimBehaviourName, number> = { obedient: 0, autonomous: 0.06, reckless: 0.25 };

let serial = 0;

/**
 * A scripted autonomous NPC: mostly follows its directive, but its own AI also proposes
 * whatever it likes (fleeing, executions, one-shots, wandering off), as game AI and dialogue
 * models do; the constraint engine has to hold the line.
 */
export function npcProposal(
  pack: CompiledPack,
  s: WorldState,
  self: ActorState,
  mind: NpcMind,
  rng: Rng,
): Proposal | null {
  const behaviour = pack.simulate.npcs[self.id] ?? pack.simulate.behaviour;
  const mischiefChance = MISCHIEF_CHANCE[behaviour];
  // A downed or gone NPC's AI may still try to act (the engine must refuse: world.actor-out).
  if (isOut(self)) return rng.chance(mischiefChance / 2) ? make(self.id, 'attack', s.playerId, 20) : null;
  if (!rng.chance(0.35)) return null;
  const foes = pack.enemies.includes(self.id) ? enemyTargets(pack, s) : [];
  const target = mind.targetId || rng.pick(foes) || s.playerId;
  if (mind.retreatBelow > 0 && self.health < mind.retreatBelow * self.maxHealth && rng.chance(0.7))
    return make(self.id, 'flee', '', 0);
  if (rng.chance(mischiefChance)) return mischief(pack, s, self, target, rng);
  if (rng.chance(mind.aggression)) {
    const amount = rng.chance(mischiefChance / 2) ? 250 : rng.int(4, 24);
    return make(self.id, 'attack', target, amount);
  }
  const roll = rng.next();
  if (roll < 0.3) return move(self.id, pack, rng);
  if (roll < 0.5) return make(self.id, 'say', '', 0);
  if (roll < 0.7) return make(self.id, 'defend', '', 0);
  return make(self.id, 'hold', '', 0);
}

function enemyTargets(pack: CompiledPack, s: WorldState): string[] {
  const ids = [s.playerId];
  for (const m of pack.cast) if (!pack.enemies.includes(m.id)) ids.push(m.id);
  return ids;
}

function mischief(pack: CompiledPack, s: WorldState, self: ActorState, target: string, rng: Rng): Proposal {
  const verb = rng.pick(MISCHIEF) ?? 'attack';
  switch (verb) {
    case 'kill':
      return make(self.id, 'kill', rng.chance(0.7) ? s.playerId : target, 0);
    case 'use_item': {
      const item = rng.pick(pack.simulate.items);
      if (!item) return make(self.id, 'taunt', target, 0);
      // A healing item is used on oneself and takes nothing; any other on the target, for its damage.
      if (item.heal > 0) return make(self.id, 'use_item', self.id, 0, { item: item.name });
      return make(self.id, 'use_item', target, item.damage, { item: item.name });
    }
    case 'move':
      return move(self.id, pack, rng, true);
    case 'heal':
      return make(self.id, 'heal', self.id, rng.int(5, 20));
    case 'attack':
      return make(self.id, 'attack', s.playerId, rng.int(40, 300));
    default:
      return make(self.id, verb, '', 0);
  }
}

function move(id: string, pack: CompiledPack, rng: Rng, wander = false): Proposal {
  const names = Object.keys(pack.areas);
  if (names.length > 0 && rng.chance(0.3))
    return make(id, 'move', '', 0, { area: wander ? 'outside' : (rng.pick(names) ?? '') });
  const spread = wander ? 400 : 30;
  return make(id, 'move', '', 0, { x: String(rng.int(-spread, spread)), y: String(rng.int(-spread / 3, spread / 3)) });
}

/** The simulated player: in a battle, attacks an enemy still standing now and then. */
export function playerProposal(pack: CompiledPack, s: WorldState, rng: Rng): Proposal | null {
  const player = s.actors[s.playerId];
  if (!pack.outcome || !player || isOut(player) || !rng.chance(pack.simulate.playerAttackChance)) return null;
  const standing = pack.enemies.filter((id) => {
    const e = s.actors[id];
    return e && !isOut(e);
  });
  const target = rng.pick(standing);
  if (!target) return null;
  const [least, most] = pack.simulate.playerHit;
  return make(s.playerId, rng.chance(0.03) ? 'kill' : 'attack', target, rng.int(least, most));
}

function make(
  actorId: string,
  verb: string,
  targetId: string,
  amount: number,
  params?: Record<string, string>,
): Proposal {
  serial++;
  return { proposalId: `p${serial}`, actorId, verb, targetId, amount, ...(params ? { params } : {}) };
}
