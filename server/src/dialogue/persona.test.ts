import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { EMOTIONS, GESTURES, INTENTS } from '@stagecraft/protocol';
import { problemsOf } from '../common/test-support/source-errors.js';
import { SITUATIONS } from './barks.js';
import { PersonaLibrary, parsePersonaFile } from './persona.js';
import { PERSONA_SCHEMA_URL } from './persona-schema.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const examples = new PersonaLibrary(path.join(root, 'personas'));

describe('persona files', () => {
  it('every example persona is valid', async () => {
    const ids = readdirSync(path.join(root, 'personas')).map((f) => f.replace(/\.ya?ml$/, ''));
    expect(ids.length).toBeGreaterThanOrEqual(7);
    for (const id of ids) {
      const persona = await examples.persona(id);
      expect(persona?.name).toBeTruthy();
      expect(persona?.background.length).toBeGreaterThan(20);
    }
  });

  it('the schema offers exactly the emotions, gestures, intents and situations the code knows', () => {
    const schema = JSON.parse(readFileSync(PERSONA_SCHEMA_URL, 'utf8'));
    const bark = schema.definitions.bark.else.properties;
    expect(bark.emotion.enum).toEqual([...EMOTIONS]);
    expect(bark.gesture.enum).toEqual([...GESTURES]);
    expect(bark.intent.enum).toEqual([...INTENTS]);
    expect(Object.keys(schema.definitions.barks.properties)).toEqual([...SITUATIONS]);
  });

  it('names file, line, column and field of each problem, with near-miss suggestions', () => {
    const text = [
      'name: Marta',
      'backgrund: Runs the inn.',
      'knowledge: [ok, 3]',
      'secrets:',
      '  - text: the cellar tunnel',
      '    patterns: ["tunnel(("]',
      '    untilPhase: 7',
      '',
    ].join('\n');
    const problems = problemsOf(() => parsePersonaFile(text, 'personas/marta.yaml', 'marta'));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'personas/marta.yaml',
          line: 2,
          column: 1,
          field: 'backgrund',
          suggestion: 'did you mean "background"?',
        }),
        expect.objectContaining({ line: 3, field: 'knowledge[1]', message: 'must be string' }),
        expect.objectContaining({ line: 7, field: 'secrets[0].untilPhase' }),
      ]),
    );
    const badPattern = 'secrets:\n  - text: the cellar tunnel\n    patterns: ["tunnel(("]\n';
    expect(problemsOf(() => parsePersonaFile(badPattern, 'p.yaml', 'p'))).toEqual([
      expect.objectContaining({
        line: 3,
        column: 16,
        field: 'secrets[0].patterns[0]',
        message: expect.stringMatching(/not a valid regular expression/),
      }),
    ]);
  });
});
