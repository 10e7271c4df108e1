import { describe, expect, it } from '@jest/globals';
import { compilePack } from './compile-pack.js';
import { durationSuggestion } from './durations.js';
import { formatPackProblem } from './pack-problems.js';

function lint(...lines: string[]): string[] {
  return compilePack([...lines, ''].join('\n'), 'p.yaml').problems.map(formatPackProblem);
}

describe('lint in one pass', () => {
  it('reports schema and name problems together, in line order, with near-miss suggestions', () => {
    const out = lint(
      'pack: typos',
      'cast:',
      '  - { id: bandit-chief, role: boss, faction: bandits, stance: hostile }',
      '  - { id: bandit-1, role: grunt, faction: bandits, stance: hostile, helth: 60 }',
      'outcome: { player: survive }',
      'timing:',
      '  maxDuration: 3 minutes',
      '  phases:',
      '    - id: opening',
      '    - { id: rally, enter: { phase: openng } }',
      'rules:',
      '  - { id: r0, kind: spare_downd }',
      '  - { id: r1, kind: forbid, who: { npc: bandit-cheif }, actions: [flea] }',
      '  - { id: r2, kind: damage_cap, perHit: 20, during: [opning] }',
      'participation:',
      '  - { npc: bandit-chef, mustSurvie: true }',
      'instuctions:',
      '  - { who: { role: grunt }, aggression: 0.5 }',
    );
    expect(out).toEqual([
      'p.yaml:4:69: cast[1].helth: unknown field (did you mean "health"?)',
      'p.yaml:7:16: timing.maxDuration: bad duration "3 minutes": write e.g. 90s, 4m, 1m30s or 500ms (did you mean "3m"?)',
      'p.yaml:10:36: timing.phases[1].enter.phase: unknown phase "openng" (did you mean "opening"?)',
      'p.yaml:12:21: rules[0].kind: "spare_downd" is not one of: forbid, only, damage_cap, spare_downed, stay_in_area (did you mean "spare_downed"?)',
      'p.yaml:13:41: rules[1].who.npc: unknown NPC "bandit-cheif" (did you mean "bandit-chief"?)',
      'p.yaml:13:67: rules[1].actions[0]: unknown action "flea"; declare your own verbs under "verbs" (did you mean "flee"?)',
      'p.yaml:14:54: rules[2].during[0]: unknown phase "opning" (did you mean "opening"?)',
      'p.yaml:16:12: participation[0].npc: unknown NPC "bandit-chef" (did you mean "bandit-chief"?)',
      'p.yaml:16:25: participation[0].mustSurvie: unknown field (did you mean "mustSurvive"?)',
      'p.yaml:17:1: instuctions: unknown field (did you mean "instructions"?)',
    ]);
  });

  it('names the field in the original file after an earlier list entry was left out', () => {
    const out = lint(
      'pack: p',
      'cast: [{ id: a, stance: hostile }]',
      'rules:',
      '  - { id: bad, kind: forbid, actions: 3 }',
      '  - { id: good, kind: forbid, who: { npc: b }, actions: [flee] }',
    );
    expect(out).toEqual([
      'p.yaml:4:39: rules[0].actions: must be array',
      'p.yaml:5:43: rules[1].who.npc: unknown NPC "b" (did you mean "a"?)',
    ]);
  });

  it('leaves out warnings that follow from a part the schema check left out', () => {
    expect(lint('pack: p', 'cast: [{ id: a }]', 'participation: [{ npc: a, mustSurvie: true }]')).toEqual([
      'p.yaml:3:27: participation[0].mustSurvie: unknown field (did you mean "mustSurvive"?)',
    ]);
    expect(lint('pack: p', 'cast: [{ id: a }]', 'participation: [{ npc: a }]')).toEqual([
      'p.yaml:3:17: participation[0]: warning: participation says nothing: add mustSurvive, presentUntil or leaveAt',
    ]);
  });

  it('asks a rule without a kind for its kind only, not for the fields of every kind', () => {
    expect(lint('pack: p', 'rules: [{ id: r, area: arena }]')).toEqual([
      'p.yaml:2:9: rules[0]: missing required field "kind"',
    ]);
  });

  it('suggests the accepted form of a duration written in words', () => {
    expect(durationSuggestion('3 minutes')).toBe('3m');
    expect(durationSuggestion('1 min 30 sec')).toBe('1m30s');
    expect(durationSuggestion('2:30')).toBe('2m30s');
    expect(durationSuggestion('90 seconds')).toBe('90s');
    expect(durationSuggestion('soon')).toBeUndefined();
  });
});
