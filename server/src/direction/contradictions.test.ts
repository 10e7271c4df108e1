import { describe, expect, it } from '@jest/globals';
import { compilePack } from './compile-pack.js';
import type { PackProblem } from './pack-problems.js';

const CAST = [
  'cast:',
  '  - { id: orm, role: boss, faction: raiders, stance: hostile, health: 200 }',
  '  - { id: raider, role: grunt, faction: raiders, stance: hostile }',
];

function lint(...lines: string[]): PackProblem[] {
  return compilePack(['pack: p', ...CAST, ...lines, ''].join('\n'), 'p.yaml').problems;
}

const rules = (p: PackProblem | undefined) => p?.involves?.map((r) => r.rule);

describe('contradictions name every rule involved', () => {
  it('outcome vs participation: a win against a boss who must survive and stay', () => {
    const [p, ...rest] = lint(
      'outcome: { player: win }',
      'timing: { maxDuration: 5m, atMax: draw }',
      'participation: [{ npc: orm, mustSurvive: true }]',
    );
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ severity: 'error', field: 'outcome.player', line: 5 });
    expect(p?.message).toContain('the player can never win: orm must survive and stay');
    expect(rules(p)).toEqual([
      'outcome',
      'participation.orm.must-survive',
      'participation.orm.must-stay',
      'timing.atMax',
    ]);
  });

  it('outcome vs atMax: the timer wins every battle', () => {
    const [p, ...rest] = lint(
      'outcome: { player: win }',
      'timing: { maxDuration: 5m, atMax: win }',
      'participation: [{ npc: orm, mustSurvive: true }]',
    );
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ severity: 'warning' });
    expect(p?.message).toContain('every battle runs to maxDuration 5m and is won by the timer');
    expect(rules(p)).toContain('timing.atMax');
    expect(rules(p)).toContain('participation.orm.must-survive');
  });

  it('a boss who may leave can still be beaten', () => {
    expect(
      lint(
        'outcome: { player: win }',
        'timing: { maxDuration: 5m, atMax: win }',
        'participation: [{ npc: orm, mustSurvive: true, mayLeave: true }]',
      ),
    ).toEqual([]);
  });

  it('phase deadline vs minDuration: a duel that resolves before the minimum', () => {
    const [p, ...rest] = lint(
      'outcome: { player: lose, strict: false }',
      'timing:',
      '  minDuration: 1m',
      '  maxDuration: 4m',
      '  atMax: lose',
      '  phases:',
      '    - { id: duel }',
      '    - { id: finale, enter: { npc: orm, healthBelow: 0.5 }, deadline: 10s, atDeadline: { resolve: lose } }',
      'participation: [{ npc: orm, mustSurvive: true }]',
    );
    expect(rest.filter((x) => x.severity === 'error')).toEqual([]);
    expect(p).toMatchObject({ severity: 'error', field: 'timing.phases[1].deadline', line: 12 });
    expect(p?.message).toBe(
      'phase "finale" resolves the battle as "lose" 10s after it starts (it can start as soon as the battle does): as early as 10s, before minDuration 1m',
    );
    expect(rules(p)).toEqual(['timing.phases[1].deadline', 'timing.phases[1].atDeadline', 'timing.minDuration']);
  });

  it('phase deadline vs maxDuration: a deadline chain that ends after the battle', () => {
    const problems = lint(
      'timing:',
      '  maxDuration: 2m',
      '  phases:',
      '    - { id: a, deadline: 90s }',
      '    - { id: b, deadline: 40s, atDeadline: { resolve: draw } }',
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity: 'warning', field: 'timing.phases[1].deadline' });
    expect(problems[0]?.message).toContain('falls at 2m10s or later, after maxDuration 2m');
    expect(rules(problems[0])).toContain('timing.maxDuration');
  });

  it('caps that make a required loss unreachable', () => {
    const [p, ...rest] = lint(
      'outcome: { player: lose }',
      'timing: { maxDuration: 2m, atMax: draw }',
      'participation: [{ npc: orm, mustSurvive: true }]',
      'rules:',
      '  - { id: soft, kind: damage_cap, who: { faction: raiders }, perWindow: { amount: 5, window: 10s } }',
    );
    expect(p).toMatchObject({ severity: 'error', field: 'outcome.player' });
    expect(p?.message).toBe(
      "the player can never lose: the enemies together can take at most 65 of the player's 100 hit points in 2m",
    );
    expect(rules(p)).toEqual(['outcome', 'soft']);
    expect(rest.map((x) => x.field)).toEqual(['timing.atMax']);
  });

  it('caps that leave only the timer to make the player lose', () => {
    const [p] = lint(
      'outcome: { player: lose }',
      'timing: { maxDuration: 2m, atMax: lose }',
      'participation: [{ npc: orm, mustSurvive: true }]',
      'rules:',
      '  - { id: no-harm, kind: forbid, who: { npc: orm }, actions: [harm, item] }',
      '  - { id: soft, kind: damage_cap, who: { npc: raider }, perWindow: { amount: 20%, window: 1m } }',
    );
    expect(p).toMatchObject({ severity: 'warning' });
    expect(p?.message).toContain('at most 60 of the player');
    expect(rules(p)).toEqual(['outcome', 'no-harm', 'soft', 'timing.atMax']);
  });

  it('forbids that make a phase unreachable', () => {
    const problems = lint(
      'outcome: { player: win, strict: false }',
      'timing:',
      '  phases:',
      '    - { id: fight }',
      '    - { id: yield, enter: { any: [{ down: orm }, { playerDown: true }] } }',
      'participation: [{ npc: orm, mustSurvive: true }]',
      'rules: [{ id: orm-holds, kind: forbid, who: { npc: orm }, actions: [attack], during: [yield] }]',
    );
    const p = problems.find((x) => x.severity === 'error');
    expect(problems.filter((x) => x.severity === 'error')).toHaveLength(1);
    expect(p).toMatchObject({ field: 'timing.phases[1].enter', line: 9 });
    expect(p?.message).toBe(
      'phase "yield" is never reached: orm must survive and stay, so is never down or gone; the player is never downed (rule outcome.player-standing)',
    );
    expect(rules(p)).toEqual([
      'timing.phases[1].enter',
      'participation.orm.must-survive',
      'participation.orm.must-stay',
      'outcome.player-standing',
    ]);
  });

  it('prints the rules involved after the message', async () => {
    const { formatPackProblem } = await import('./pack-problems.js');
    const [p] = lint('outcome: { player: win }', 'participation: [{ npc: orm, mustSurvive: true }]');
    expect(p && formatPackProblem(p)).toMatch(
      /^p\.yaml:5:20: outcome\.player: the player can never win: .* \[rules: outcome at 5:20, participation\.orm\.must-survive at 6:42, participation\.orm\.must-stay at 6:42\]$/,
    );
  });
});
