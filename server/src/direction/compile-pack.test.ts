import { describe, expect, it } from '@jest/globals';
import { compilePack, loadPack } from './compile-pack.js';
import { formatPackProblem } from './pack-problems.js';
import { examplePackText, PACK_FILES } from './test-support/packs.js';

function lint(text: string, options = {}) {
  return compilePack(text, 'pack.yaml', options).problems.map(formatPackProblem);
}

describe('compilePack', () => {
  it.each(PACK_FILES)('compiles the example pack %s without problems', (name) => {
    const result = compilePack(examplePackText(name), `${name}.yaml`);
    expect(result.problems.map(formatPackProblem)).toEqual([]);
    expect(result.pack?.id).toBe(name);
    // Plain data: survives a JSON round trip unchanged.
    expect(JSON.parse(JSON.stringify(result.pack))).toEqual(result.pack);
  });

  it('reports an unknown rule kind with its position and a suggestion', () => {
    const text = ['pack: p', 'rules:', '  - id: r', '    kind: forbidd', '    actions: [flee]', ''].join('\n');
    expect(lint(text)).toEqual([
      'pack.yaml:4:11: rules[0].kind: "forbidd" is not one of: forbid, only, damage_cap, spare_downed, stay_in_area (did you mean "forbid"?)',
    ]);
  });

  it('suggests flee for flea', () => {
    const text = ['pack: p', 'rules:', '  - id: r', '    kind: forbid', '    actions: [attack, flea]', ''].join('\n');
    const out = lint(text);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(
      /^pack\.yaml:5:23: rules\[0\]\.actions\[1\]: unknown action "flea"; .*\(did you mean "flee"\?\)$/,
    );
  });

  it('reports unknown NPC ids from the pack cast and from the known cast', () => {
    const text = [
      'pack: p',
      'cast:',
      '  - { id: bandit-chief, role: boss }',
      'participation:',
      '  - npc: bandit-cheif',
      '    mustSurvive: true',
      '  - npc: escort',
      '    mustSurvive: true',
      '',
    ].join('\n');
    expect(lint(text)).toEqual([
      'pack.yaml:5:10: participation[0].npc: unknown NPC "bandit-cheif" (did you mean "bandit-chief"?)',
      'pack.yaml:7:10: participation[1].npc: unknown NPC "escort"',
    ]);
    expect(lint(text, { knownCast: [{ id: 'escort' }] })).toHaveLength(1);
  });

  it('reports unknown roles, phases and areas', () => {
    const text = [
      'pack: p',
      'cast: [{ id: a, role: boss }]',
      'timing:',
      '  phases: [{ id: opening }]',
      'rules:',
      '  - { id: r1, kind: forbid, who: { role: bos }, actions: [flee], during: [openning] }',
      '  - { id: r2, kind: stay_in_area, area: arena }',
      '',
    ].join('\n');
    expect(lint(text)).toEqual([
      'pack.yaml:6:42: rules[0].who.role: unknown role "bos" (did you mean "boss"?)',
      'pack.yaml:6:75: rules[0].during[0]: unknown phase "openning" (did you mean "opening"?)',
      'pack.yaml:7:41: rules[1].area: unknown area "arena"',
    ]);
  });

  it('reports bad durations and min longer than max', () => {
    const text = ['pack: p', 'timing:', '  minDuration: 5m', '  maxDuration: 3 minutes', ''].join('\n');
    expect(lint(text)).toEqual([
      'pack.yaml:4:16: timing.maxDuration: bad duration "3 minutes": write e.g. 90s, 4m, 1m30s or 500ms (did you mean "3m"?)',
    ]);
    const text2 = ['pack: p', 'timing:', '  minDuration: 5m', '  maxDuration: 3m', ''].join('\n');
    expect(lint(text2)).toEqual([
      'pack.yaml:3:16: timing.minDuration: minDuration (5m) is longer than maxDuration (3m)',
    ]);
  });

  it('reports YAML syntax errors with a position', () => {
    const out = lint('pack: p\nrules: [\n');
    expect(out[0]).toMatch(/^pack\.yaml:\d+:\d+: /);
  });

  it('compiles guards to named data', () => {
    const pack = loadPack(examplePackText('boss-must-lose'), 'b.yaml');
    expect(pack.timing.phases[1]?.enter).toEqual({ guard: 'healthBelow', npc: 'bandit-chief', fraction: 0.7 });
    const vesna = pack.instructions.find((i) => i.id === 'vesna');
    expect(vesna?.retreatWhen).toEqual({ guard: 'never' });
    expect(pack.rules.map((r) => r.id)).toContain('outcome.enemies-stay');
  });

  it('throws a SourceError naming every error from loadPack', () => {
    expect(() => loadPack('pack: p\nrules: [{ id: r, kind: forbid, actions: [flea] }]\n', 'x.yaml')).toThrow(
      /x\.yaml:2:42: rules\[0\]\.actions\[0\]/,
    );
  });
});
