import { describe, expect, it } from '@jest/globals';
import { loadPack } from './compile-pack.js';
import { createMemory, directNpcs } from './directing.js';
import { createPacing } from './pacing.js';
import type { Directive } from './vocabulary.js';
import { applyWorldReport, createWorldState } from './world-state.js';

const PACK = `pack: escort
cast:
  - { id: mara, role: merchant, stance: friendly }
  - { id: bandit, role: grunt, faction: bandits, stance: hostile }
instructions:
  - id: rob-the-merchant
    who: { faction: bandits }
    targets: [mara]
  - id: go-for-the-player
    who: { faction: bandits }
    when: { npc: mara, healthBelow: 0.2 }
    targets: [player]
    priority: 20
`;

describe('conditional instructions', () => {
  it('take over while their condition holds, and let go when it stops', () => {
    const pack = loadPack(PACK, 'escort.yaml');
    const s = createWorldState(pack);
    const pacing = createPacing(s);
    const memory = createMemory();
    const tick = (nowMs: number): Directive | undefined => {
      s.nowMs = nowMs;
      const out: Directive[] = [];
      directNpcs(pack, s, pacing, memory, out);
      return out.find((d) => d.npcId === 'bandit');
    };
    expect(tick(100)).toMatchObject({ targetId: 'mara', ruleId: 'rob-the-merchant' });
    expect(tick(200)).toBeUndefined();
    applyWorldReport(s, { nowMs: 300, actors: [{ id: 'mara', health: 10 }] });
    expect(tick(300)).toMatchObject({ targetId: 'player', ruleId: 'go-for-the-player' });
    applyWorldReport(s, { nowMs: 400, actors: [{ id: 'mara', health: 90 }] });
    expect(tick(400)).toMatchObject({ targetId: 'mara', ruleId: 'rob-the-merchant' });
  });
});

describe('directors sharing one compiled pack', () => {
  it('each direct their own scene: what one tick worked out never leaks into another', () => {
    const pack = loadPack(
      `pack: two-fights
cast:
  - { id: raider, role: grunt, faction: raiders, stance: hostile }
  - { id: mara, role: merchant, stance: friendly }
outcome: { player: survive }
instructions:
  - { id: raid, who: { faction: raiders }, aggression: 0.8, targets: [mara, player] }
`,
      'two.yaml',
    );
    const scene = () => {
      const s = createWorldState(pack);
      return { s, pacing: createPacing(s), memory: createMemory() };
    };
    const a = scene();
    const b = scene();
    applyWorldReport(b.s, {
      nowMs: 100,
      actors: [
        { id: 'mara', health: 0, downed: true },
        { id: 'player', health: 30 },
      ],
    });
    const tick = (x: ReturnType<typeof scene>) => {
      const out: Directive[] = [];
      directNpcs(pack, x.s, x.pacing, x.memory, out);
      return out.find((d) => d.npcId === 'raider');
    };
    const first = tick(a);
    const second = tick(b);
    expect(first).toMatchObject({ targetId: 'mara', aggression: 0.8 });
    // Mara is down in b, and its player badly hurt: the raider goes for the player, gently.
    expect(second?.targetId).toBe('player');
    expect(second?.aggression).toBeLessThan(0.8);
  });
});
