import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { problemsOf, rejection } from '../common/test-support/source-errors.js';
import { phaseOrder } from '../dialogue/director-bounds.js';
import { PersonaLibrary } from '../dialogue/persona.js';
import { loadExamplePack } from '../direction/test-support/packs.js';
import { personasForScene } from './cast-personas.js';
import { parseSceneDefinition } from './scene-definition.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const examples = new PersonaLibrary(path.join(root, 'personas'));

function sceneFile(name: string) {
  const file = path.join(root, 'scenes', `${name}.yaml`);
  const text = readFileSync(file, 'utf8');
  return { file: `scenes/${name}.yaml`, text, scene: parseSceneDefinition(text, `scenes/${name}.yaml`) };
}

describe('personasForScene', () => {
  it('gives the tavern cast their persona files, keeping the scene’s prose sentence', async () => {
    const { file, text, scene } = sceneFile('tavern');
    const phases = phaseOrder(scene.phase, loadExamplePack('tavern-no-violence'));
    const personas = await personasForScene(scene, { library: examples, file, text, phases });
    expect([...personas.keys()]).toEqual(['innkeeper', 'guard', 'bard']);
    const marta = personas.get('innkeeper');
    expect(marta?.name).toBe('Marta');
    expect(marta?.background).toMatch(/Rusty Flagon for twenty years[\s\S]*\nRuns the inn; knows every rumour/);
    expect(marta?.secrets[0]?.untilPhase).toBe('closing-time');
    expect(marta?.barks?.greet?.length).toBeGreaterThan(0);
  });

  it('gives the bridge-ambush cast theirs, checking each secret’s phase against the pack', async () => {
    const { file, text, scene } = sceneFile('bridge-ambush');
    const phases = phaseOrder(scene.phase, loadExamplePack('boss-must-lose'));
    expect(phases).toEqual(['approach', 'duel', 'enraged', 'finale']);
    const personas = await personasForScene(scene, { library: examples, file, text, phases });
    expect([...personas.values()].map((p) => p.name)).toEqual(['Red Vesna', 'Jory', 'Kell', 'Brother Aldo']);
  });

  describe('with scenes written for the test', () => {
    let dir: string;
    let library: PersonaLibrary;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'stagecraft-personas-'));
      await writeFile(
        path.join(dir, 'smith.yaml'),
        'background: A smith.\nsecrets:\n  - text: x\n    untilPhase: fnale\n',
      );
      await writeFile(path.join(dir, 'broken.yaml'), 'name: [unclosed\n');
      library = new PersonaLibrary(dir);
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('accepts a persona inline, and builds one from name and role when there is no file', async () => {
      const text = [
        'id: forge',
        'cast:',
        '  - id: apprentice',
        '    name: Wil',
        '    persona:',
        '      background: Sweeps the forge.',
        '      rules: [Never touch the anvil.]',
        '  - id: customer',
        '    name: Old Bess',
        '    role: buyer',
        '    persona: Haggles over everything.',
        '',
      ].join('\n');
      const scene = parseSceneDefinition(text, 'forge.yaml');
      const personas = await personasForScene(scene, { library, file: 'forge.yaml', text });
      expect(personas.get('apprentice')).toMatchObject({
        id: 'apprentice',
        name: 'Wil',
        background: 'Sweeps the forge.',
        rules: ['Never touch the anvil.'],
      });
      expect(personas.get('customer')).toMatchObject({
        name: 'Old Bess',
        background: 'You are the buyer. Haggles over everything.',
      });
    });

    it('reports inline persona mistakes at their place in the scene file', () => {
      const text = ['id: forge', 'cast:', '  - id: apprentice', '    persona:', '      backstory: Sweeps.', ''].join(
        '\n',
      );
      expect(problemsOf(() => parseSceneDefinition(text, 'forge.yaml'))).toEqual([
        expect.objectContaining({
          file: 'forge.yaml',
          line: 5,
          column: 7,
          field: 'cast[0].persona.backstory',
          message: 'unknown field',
        }),
      ]);
    });

    it('names the scene field of a missing persona file, a bad persona file, and a phase typo', async () => {
      const text = [
        'id: forge',
        'cast:',
        '  - id: a',
        '    persona: nobody',
        '  - id: b',
        '    persona: broken',
        '  - id: c',
        '    persona: smith',
        '',
      ].join('\n');
      const scene = parseSceneDefinition(text, 'forge.yaml');
      const error = await rejection(
        personasForScene(scene, { library, file: 'forge.yaml', text, phases: ['start', 'finale'] }),
      );
      expect(error.problems).toEqual([
        expect.objectContaining({
          file: 'forge.yaml',
          line: 4,
          column: 14,
          field: 'cast[0].persona',
          message: expect.stringMatching(/no persona file "nobody\.yaml"/),
        }),
        expect.objectContaining({ file: expect.stringMatching(/broken\.yaml$/), line: 2 }),
        expect.objectContaining({
          file: expect.stringMatching(/smith\.yaml$/),
          line: 4,
          field: 'secrets[0].untilPhase',
          suggestion: 'did you mean "finale"?',
        }),
      ]);
    });

    it('checks scene-wide secrets too', async () => {
      const text = ['id: forge', 'secrets:', '  - text: the sword is fake', '    untilPhase: end', 'cast: [{ id: a }]'];
      const scene = parseSceneDefinition(text.join('\n'), 'forge.yaml');
      expect(scene.secrets).toEqual([{ text: 'the sword is fake', untilPhase: 'end' }]);
      const error = await rejection(personasForScene(scene, { library, file: 'forge.yaml', phases: ['start'] }));
      expect(error.problems).toEqual([expect.objectContaining({ field: 'secrets[0].untilPhase' })]);
    });
  });
});
