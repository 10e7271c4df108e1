import { describe, expect, it } from '@jest/globals';
import { loadExamplePack, PACK_FILES } from '../test-support/packs.js';
import { runBattle } from './run-battle.js';

describe('runBattle', () => {
  it.each(PACK_FILES)('%s: a seeded battle is reproducible and clean', (name) => {
    const pack = loadExamplePack(name);
    const a = runBattle(pack, 7);
    const b = runBattle(pack, 7);
    expect(b).toEqual(a);
    expect(a.violations).toEqual([]);
    expect(a.proposals).toBeGreaterThan(50);
  });
});
