import { describe, expect, it } from '@jest/globals';
import { createActor } from 'xstate';
import { battleDirectorMachine } from './battle-director.machine.js';
import { loadExamplePack } from './test-support/packs.js';
import { applyWorldReport, createWorldState } from './world-state.js';

describe('BattleDirector', () => {
  it('paces build-up → sustain peak → peak fade → relax → build-up, easing aggression off', () => {
    const pack = loadExamplePack('boss-must-lose');
    const scene = createWorldState(pack);
    const actor = createActor(battleDirectorMachine, { input: { pack, scene } });
    const aggression: number[] = [];
    actor.on('battle.directives', (e) => {
      for (const d of e.directives)
        if (d.npcId === 'bandit-chief' && d.aggression !== undefined) aggression.push(d.aggression);
    });
    actor.start();
    const modes: string[] = [];
    let health = 100;
    for (let t = 500; t <= 60_000; t += 500) {
      if (t <= 3000) health -= 10; // a hard opening: intensity peaks
      applyWorldReport(scene, { nowMs: t, actors: [{ id: 'player', health }] });
      actor.send({ type: 'battle.tick', scene });
      const mode = String(actor.getSnapshot().value);
      if (modes.at(-1) !== mode) modes.push(mode);
    }
    expect(modes).toEqual(['buildUp', 'sustainPeak', 'peakFade', 'relax', 'buildUp']);
    expect(Math.min(...aggression)).toBeLessThan(aggression[0] as number);
  });
});
