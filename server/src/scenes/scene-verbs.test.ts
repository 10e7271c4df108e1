import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { createEngine } from '../direction/constraint-engine.js';
import { createWorldState } from '../direction/world-state.js';
import { SceneCatalog } from './scene-catalog.js';
import { parseSceneDefinition } from './scene-definition.js';

const dir = mkdtempSync(path.join(tmpdir(), 'stagecraft-verbs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCENE = `id: cellar
constraints: cellar.pack
verbs: { restrain: harm, pickpocket: item }
cast:
  - { id: guard, role: guard, faction: watch, stance: wary }
  - { id: thief, role: thief, faction: guild, stance: wary }
`;

async function catalogWith(pack: string) {
  writeFileSync(path.join(dir, 'cellar.yaml'), SCENE);
  writeFileSync(path.join(dir, 'cellar.pack'), pack);
  return new SceneCatalog(dir).load();
}

describe('verbs a scene declares', () => {
  it('reach its constraint pack: rules on a category cover them', async () => {
    const catalog = await catalogWith(`pack: cellar
verbs: { draw_weapon: harm }
rules:
  - { id: no-harm, kind: forbid, who: { role: guard }, actions: [harm] }
`);
    expect(catalog.problems).toEqual([]);
    const pack = catalog.pack('cellar');
    if (!pack) throw new Error('no pack');
    const engine = createEngine(pack);
    const s = createWorldState(pack);
    const judge = (verb: string) =>
      engine.judge(s, { proposalId: '1', actorId: 'guard', verb, targetId: 'thief', amount: 5 }).ruleId;
    expect(judge('restrain')).toBe('no-harm');
    expect(judge('draw_weapon')).toBe('no-harm');
    expect(judge('pickpocket')).toBe('');
  });

  it('may not be given another category by the pack', async () => {
    const catalog = await catalogWith('pack: cellar\nverbs: { restrain: social }\n');
    expect(catalog.problems[0]?.problems).toEqual([
      expect.stringMatching(
        /cellar\.pack:2:\d+: verbs\.restrain: "restrain" is a harm verb in the scene; the pack says social/,
      ),
    ]);
  });

  it('are checked in the scene file, with the place', () => {
    expect(() => parseSceneDefinition('id: s\nverbs: { attack: harm }\ncast: [{ id: a }]\n', 's.yaml')).toThrow(
      /s\.yaml:2:\d+: verbs\.attack: "attack" is a built-in verb/,
    );
    expect(() => parseSceneDefinition('id: s\nverbs: { sneak: stealth }\ncast: [{ id: a }]\n', 's.yaml')).toThrow(
      /s\.yaml:2:\d+: verbs\.sneak/,
    );
  });
});
