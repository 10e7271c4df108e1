import { describe, expect, it } from '@jest/globals';
import { compilePack } from './compile-pack.js';
import { formatPackProblem } from './pack-problems.js';

const CAST = [
  'cast:',
  '  - { id: chief, role: boss, faction: bandits, stance: hostile }',
  '  - { id: grunt, role: grunt, faction: bandits, stance: hostile }',
];

function lint(...lines: string[]): string[] {
  return compilePack(['pack: p', ...CAST, ...lines, ''].join('\n'), 'p.yaml').problems.map(formatPackProblem);
}

describe('static check', () => {
  it('rejects a lose outcome the player could hold out against', () => {
    expect(lint('outcome: { player: lose }', 'participation: [{ npc: chief, mustSurvive: true }]')).toEqual([
      'p.yaml:5:20: outcome.player: outcome "lose" needs timing.maxDuration with atMax: lose, or the battle may never end (set outcome.strict: false to only steer toward it)',
    ]);
  });

  it('rejects a lose outcome the player could win by downing every enemy', () => {
    expect(lint('outcome: { player: lose }', 'timing: { maxDuration: 3m, atMax: lose }')).toEqual([
      'p.yaml:5:20: outcome.player: the player could win by downing every enemy first: give one enemy participation mustSurvive (enemies: chief, grunt) (set outcome.strict: false to only steer toward it)',
    ]);
  });

  it('only warns when the outcome is not strict', () => {
    const out = lint('outcome: { player: lose, strict: false }', 'timing: { maxDuration: 3m, atMax: lose }');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^p\.yaml:5:20: outcome\.player: warning: the player could win/);
  });

  it('rejects an atMax or phase deadline that contradicts the outcome', () => {
    expect(
      lint(
        'outcome: { player: win }',
        'timing:',
        '  maxDuration: 3m',
        '  atMax: draw',
        '  phases:',
        '    - { id: a, deadline: 1m, atDeadline: { resolve: lose } }',
      ),
    ).toEqual([
      'p.yaml:8:10: timing.atMax: the player must win, but at maxDuration the battle resolves as "draw" (set outcome.strict: false to only steer toward it)',
      'p.yaml:10:53: timing.phases[0].atDeadline.resolve: phase "a" resolves as "lose" but the player must win (set outcome.strict: false to only steer toward it)',
    ]);
  });

  it('rejects a leave that a rule of equal or higher priority forbids', () => {
    expect(
      lint(
        'timing: { phases: [{ id: a }, { id: b, enter: { after: 1m } }] }',
        'rules: [{ id: stand, kind: forbid, who: { faction: bandits }, actions: [flee, leave], priority: 90 }]',
        'participation: [{ npc: grunt, leaveAt: b }]',
      ),
    ).toEqual([
      'p.yaml:7:40: participation[0].leaveAt: grunt: leave (participation.grunt.leave-at, priority 90) conflicts with rule "stand" at equal priority 90; give one a higher priority',
    ]);
  });

  it('warns that a retreat never happens under a stronger no-flee rule', () => {
    expect(
      lint(
        'rules: [{ id: stand, kind: forbid, actions: [flee] }]',
        'instructions: [{ who: { role: boss }, retreat: { below: 0.3 } }]',
      ),
    ).toEqual([
      'p.yaml:6:48: instructions[0].retreat: warning: chief: retreat (instructions[0].retreat, priority 10) never happens, rule "stand" (priority 50) holds them',
    ]);
  });

  it('rejects leaving before the phase an NPC must stay until', () => {
    expect(
      lint(
        'timing: { phases: [{ id: a }, { id: b, enter: { after: 1m } }] }',
        'participation: [{ npc: grunt, presentUntil: b, leaveAt: a }]',
      ),
    ).toContainEqual(
      'p.yaml:6:57: participation[0].leaveAt: grunt must leave at "a" but stay until "b", which comes later',
    );
  });

  it('warns about phases that are never entered or start after the end', () => {
    expect(
      lint(
        'timing:',
        '  maxDuration: 2m',
        '  phases:',
        '    - { id: a }',
        '    - { id: b }',
        '    - { id: c, enter: { after: 3m } }',
      ),
    ).toEqual([
      'p.yaml:9:7: timing.phases[1]: warning: phase "b" is never entered: give it an enter condition or a deadline before it',
      'p.yaml:10:32: timing.phases[2].enter.after: warning: phase "c" starts at 3m, after maxDuration 2m',
    ]);
  });

  it('reports conditions with no head or two heads', () => {
    expect(lint('timing: { phases: [{ id: a }, { id: b, enter: { after: 1m, phase: a } }] }')).toEqual([
      'p.yaml:5:47: timing.phases[1].enter: condition has more than one head: after, phase',
    ]);
  });
});
