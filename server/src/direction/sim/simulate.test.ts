import { describe, expect, it } from '@jest/globals';
import { loadPack } from '../compile-pack.js';
import { battleSeed } from './battle-seed.js';
import { runBattle } from './run-battle.js';
import { simulatePack } from './simulate.js';

const pack = (...lines: string[]) => loadPack([...lines, ''].join('\n'), 'p.yaml');

const DUEL = [
  'pack: duel',
  'cast:',
  '  - { id: vesna, role: boss, faction: bandits, stance: hostile, health: 120 }',
  'outcome: { player: lose }',
];

describe('simulate', () => {
  it('gives each battle a seed of its own: runs from neighbouring seeds share no battle', () => {
    const runs = [1, 2, 3].map((seed) => new Set(Array.from({ length: 1000 }, (_, i) => battleSeed(seed, i))));
    for (const run of runs) expect(run.size).toBe(1000);
    const [a, b, c] = runs as [Set<number>, Set<number>, Set<number>];
    for (const s of a) {
      expect(b.has(s)).toBe(false);
      expect(c.has(s)).toBe(false);
    }
    for (const s of b) expect(c.has(s)).toBe(false);
  });

  it('replays one battle from the seed it lists', () => {
    const p = pack(
      ...DUEL,
      'timing: { maxDuration: 2m, atMax: lose }',
      'participation: [{ npc: vesna, mustSurvive: true }]',
    );
    const all = simulatePack(p, { seed: 9, battles: 3 });
    const second = all.samples[1];
    const again = simulatePack(p, { seed: 0, battles: 1000, replay: second?.seed ?? 0 });
    expect(again.battles).toBe(1);
    expect(again.samples[0]).toEqual(second);
  });

  it('warns when battles are shorter than minDuration and the timer decides them', () => {
    const short = simulatePack(
      pack(
        'pack: skirmish',
        'cast: [{ id: bandit, faction: bandits, stance: hostile, health: 40 }]',
        'outcome: { player: win }',
        'timing: { minDuration: 3m, maxDuration: 4m, atMax: win }',
      ),
      { seed: 1, battles: 100 },
    );
    expect(short.lastedMin).toBeLessThan(50);
    expect(short.warnings.some((w) => /^\d+ of 100 battles lasted minDuration 3m \(median /.test(w))).toBe(true);
    const timer = simulatePack(
      pack(
        'pack: warlord',
        'cast: [{ id: orm, role: boss, faction: raiders, stance: hostile }]',
        'outcome: { player: win }',
        'timing: { maxDuration: 1m, atMax: win }',
        'participation: [{ npc: orm, mustSurvive: true }]',
      ),
      { seed: 1, battles: 50 },
    );
    expect(timer.endings).toEqual({ 'max-duration': 50 });
    expect(timer.warnings).toContain('50 of 50 battles ran to maxDuration 1m: the timer, not the fight, decided them');
  });

  it('reports the share of battles reaching each phase and the lines said, and warns about the rare ones', () => {
    const s = simulatePack(
      pack(
        ...DUEL,
        'timing:',
        '  maxDuration: 3m',
        '  atMax: lose',
        '  phases:',
        '    - { id: duel }',
        '    - { id: yield, enter: { after: 10m } }',
        'participation: [{ npc: vesna, mustSurvive: true }]',
        'instructions:',
        '  - who: { npc: vesna }',
        '    lines:',
        '      - { cue: { after: 0s }, say: En garde. }',
        '      - { cue: { phase: yield }, say: I yield. }',
      ),
      { seed: 4, battles: 40 },
    );
    expect(s.phases).toEqual([
      { id: 'duel', battles: 40 },
      { id: 'yield', battles: 0 },
    ]);
    expect(s.lines).toEqual([{ line: 'vesna: En garde.', battles: 40 }]);
    expect(s.unsaid).toEqual(['I yield.']);
    expect(s.warnings).toContain('phase "yield" was reached in none of 40 battles');
    expect(s.warnings).toContain('line "I yield." was said in none of 40 battles');
  });

  it('warns when the player is hurt by actions no rule names, in a pack that forbids other harm', () => {
    const tavern = [
      'pack: quiet-tavern',
      'cast: [{ id: innkeeper, role: host, stance: friendly }, { id: drunk, role: patron, stance: wary }]',
      'rules: [{ id: no-violence, kind: forbid, actions: [attack, kill] }]',
    ];
    const s = simulatePack(pack(...tavern, 'simulate: { behaviour: reckless }'), { seed: 1, battles: 30 });
    expect(s.violations).toBe(0);
    expect(s.playerDamage.length).toBeGreaterThan(0);
    expect(s.playerDamage.every((d) => d.action.startsWith('use_item:') && ['innkeeper', 'drunk'].includes(d.by))).toBe(
      true,
    );
    expect(s.warnings.find((w) => w.startsWith('the player lost'))).toMatch(
      /^the player lost [\d,]+ hit points.* to use_item:\w+ \((drunk|innkeeper|drunk, innkeeper)\).*, which no rule covering them names \("no-violence" keeps other harm off the player\)$/,
    );
    const harmless = simulatePack(pack(...tavern, 'simulate: { behaviour: reckless, items: [{ name: bread }] }'), {
      seed: 1,
      battles: 30,
    });
    expect(harmless.playerDamage).toEqual([]);
    expect(harmless.warnings).toEqual([]);
  });

  it('plays the simulated world the pack describes', () => {
    const p = pack(
      ...DUEL,
      'timing: { maxDuration: 2m, atMax: lose }',
      'participation: [{ npc: vesna, mustSurvive: true }]',
      'simulate: { player: { health: 500, hit: [1, 1] }, behaviour: obedient, tick: 250ms }',
    );
    expect(p.simulate).toMatchObject({ playerHealth: 500, playerHit: [1, 1], behaviour: 'obedient', tickMs: 250 });
    const r = runBattle(p, 3, { trace: true });
    expect(r.vetoes['world.actor-out'] ?? 0).toBe(0);
    expect(r.intensity?.length).toBeGreaterThan(10);
    expect(r.events?.at(-1)?.kind).toBe('resolved');
  });

  it('checks the NPC ids of the simulate section', () => {
    expect(() => pack(...DUEL, 'simulate: { npcs: { vesan: { behaviour: reckless } } }')).toThrow(
      /simulate\.npcs\.vesan: unknown NPC "vesan" \(did you mean "vesna"\?\)/,
    );
  });
});
