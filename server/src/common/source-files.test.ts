import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parsePersonaFile } from '../dialogue/persona.js';
import { compilePack } from '../direction/compile-pack.js';
import { parseSceneDefinition } from '../scenes/scene-definition.js';
import { SourceError } from './source-error.js';
import { problemsOf } from './test-support/source-errors.js';
import { MAX_SOURCE_CHARS } from './yaml-source.js';

/** Each loader of a designer's file, as one call that throws SourceError or returns problems. */
const LOADERS: Record<string, (text: string, file: string) => unknown> = {
  scene: (text, file) => parseSceneDefinition(text, file),
  pack: (text, file) => {
    const result = compilePack(text, file);
    if (!result.pack) throw new SourceError(result.problems);
    return result.pack;
  },
  persona: (text, file) => parsePersonaFile(text, file, 'bard'),
};

const BOMB = ['a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]']
  .concat(['c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]'])
  .join('\n');

describe('designer files that could exhaust the server', () => {
  for (const [kind, load] of Object.entries(LOADERS)) {
    it(`refuses a ${kind} file over the size limit at once, naming the file and the limit`, () => {
      const huge = `# ${'x'.repeat(MAX_SOURCE_CHARS)}\nid: big\n`;
      const [p, ...rest] = problemsOf(() => load(huge, `${kind}s/big.yaml`));
      expect(rest).toEqual([]);
      expect(p).toMatchObject({ file: `${kind}s/big.yaml`, line: 1, column: 1 });
      expect(p?.message).toMatch(/^the file has 2,097,1\d\d characters; the limit is 2,097,152/);
    });

    it(`refuses a ${kind} file with an alias bomb at its first alias, by file and line`, () => {
      const [p] = problemsOf(() => load(`# header\n${BOMB}\n`, `${kind}s/bomb.yaml`));
      expect(p).toMatchObject({ file: `${kind}s/bomb.yaml`, line: 3, column: 8 });
      expect(p?.message).toMatch(/^aliases expand to more than 100 copies/);
    });

    it(`answers any ${kind} text with a value or a SourceError naming a line, never another error`, () => {
      const yamlish = fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
        fc
          .array(fc.tuple(fc.constantFrom('id', 'cast', 'pack', 'name', '&a', '*a', '- ', ':'), fc.string()), {
            maxLength: 12,
          })
          .map((parts) => parts.map(([k, v]) => `${k}: ${v}`).join('\n')),
      );
      fc.assert(
        fc.property(yamlish, (text) => {
          try {
            load(text, `${kind}s/fuzz.yaml`);
          } catch (e) {
            if (!(e instanceof SourceError)) throw e;
            for (const p of e.problems) {
              expect(p.file).toBe(`${kind}s/fuzz.yaml`);
              expect(p.line).toBeGreaterThanOrEqual(1);
            }
          }
        }),
        { numRuns: 300, seed: 20 },
      );
    });
  }
});
