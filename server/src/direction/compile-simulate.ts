import type { ConditionCompiler } from './compile-conditions.js';
import type { PackRefs } from './compile-refs.js';
import type { SimItem, SimWorld } from './compiled-pack.js';
import type { PackSource } from './pack-source.js';

/** Items the simulated NPCs carry unless the pack's `simulate.items` lists its own. */
export const DEFAULT_SIM_ITEMS: readonly SimItem[] = [
  { name: 'dagger', damage: 15, heal: 0 },
  { name: 'poison', damage: 30, heal: 0 },
  { name: 'crossbow', damage: 25, heal: 0 },
  { name: 'bread', damage: 0, heal: 0 },
  { name: 'healing-potion', damage: 0, heal: 20 },
];

export const DEFAULT_SIM_WORLD: SimWorld = {
  playerHealth: 100,
  playerHit: [4, 14],
  playerAttackChance: 0.3,
  npcHealth: 100,
  items: [...DEFAULT_SIM_ITEMS],
  behaviour: 'autonomous',
  npcs: {},
  counters: {},
  counterRate: 0.4,
  tickMs: 500,
  cutoffMs: 300_000,
};

/** The pack's `simulate` section over the defaults; NPC ids are checked against the cast. */
export function compileSimulate(source: PackSource, refs: PackRefs, conds: ConditionCompiler): SimWorld {
  const s = source.simulate ?? {};
  const path = ['simulate'];
  const world: SimWorld = { ...DEFAULT_SIM_WORLD, items: [...DEFAULT_SIM_WORLD.items], npcs: {}, counters: {} };
  for (const [name, rate] of Object.entries(s.counters ?? {})) world.counters[name] = rate;
  if (s.player?.health !== undefined) world.playerHealth = s.player.health;
  if (s.player?.hit) {
    const [a, b] = s.player.hit;
    world.playerHit = [Math.min(a, b), Math.max(a, b)];
  }
  if (s.player?.attackChance !== undefined) world.playerAttackChance = s.player.attackChance;
  if (s.npcHealth !== undefined) world.npcHealth = s.npcHealth;
  if (s.items) world.items = s.items.map((i) => ({ name: i.name, damage: i.damage ?? 0, heal: i.heal ?? 0 }));
  if (s.behaviour) world.behaviour = s.behaviour;
  for (const [id, npc] of Object.entries(s.npcs ?? {}))
    if (refs.npc(id, [...path, 'npcs', id]) && npc.behaviour) world.npcs[id] = npc.behaviour;
  if (s.tick !== undefined) world.tickMs = conds.duration(s.tick, [...path, 'tick']) ?? world.tickMs;
  if (s.cutoff !== undefined) world.cutoffMs = conds.duration(s.cutoff, [...path, 'cutoff']) ?? world.cutoffMs;
  return world;
}
