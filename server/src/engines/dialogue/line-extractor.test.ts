import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { LineExtractor } from './line-extractor.js';

/** Feeds `json` in the given chunk sizes; returns each push's output. */
function feed(json: string, sizes: number[]): { parts: string[]; extractor: LineExtractor } {
  const extractor = new LineExtractor();
  const parts: string[] = [];
  let at = 0;
  for (let i = 0; at < json.length; i++) {
    const size = Math.max(1, sizes[i % Math.max(1, sizes.length)] ?? 1);
    parts.push(extractor.push(json.slice(at, at + size)));
    at += size;
  }
  return { parts, extractor };
}

/** JSON.stringify, but every non-ASCII UTF-16 unit written as a \uXXXX escape. */
const asciiJson = (value: unknown) =>
  JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

describe('LineExtractor', () => {
  it('streams the line of a reply split one character at a time', () => {
    const json = '{ "line": "Hello, \\"friend\\".\\nStay.", "emotion": "joy", "intensity": 0.5 }';
    const { parts, extractor } = feed(json, [1]);
    expect(parts.join('')).toBe('Hello, "friend".\nStay.');
    expect(extractor.done).toBe(true);
    expect(parts.filter((p) => p !== '').length).toBeGreaterThan(10);
  });

  it('decodes unicode escapes and surrogate pairs split across chunks, never emitting half a pair', () => {
    const json = '{"line":"caf\\u00e9 \\ud83d\\ude00!"}';
    for (let size = 1; size <= json.length; size++) {
      const { parts } = feed(json, [size]);
      expect(parts.join('')).toBe('café 😀!');
      for (const p of parts) expect(/[\ud800-\udbff]$/.test(p)).toBe(false);
    }
  });

  it('ignores a "line" key that is not at the top level, and fields that come first', () => {
    const json = '{"meta":{"line":"no","x":[1,"}",{"line":"no"}]},"mood":"a \\"line\\": b","n":-1.5e3,"line":"yes"}';
    expect(feed(json, [3]).parts.join('')).toBe('yes');
  });

  it('reports nothing for a reply whose line has not started', () => {
    const extractor = new LineExtractor();
    expect(extractor.push('{ "line')).toBe('');
    expect(extractor.push('": ')).toBe('');
    expect(extractor.done).toBe(false);
    expect(extractor.push('"Hi')).toBe('Hi');
    expect(extractor.line).toBe('Hi');
  });

  it('matches JSON.parse for any string, escaping and chunking (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        fc.constantFrom('', ' ', '\n  '),
        (line, sizes, ascii, ws) => {
          const body = ascii ? asciiJson({ line, emotion: 'fear' }) : JSON.stringify({ line, emotion: 'fear' });
          const json = body.replace(/^\{/, `{${ws}`).replace(/":/g, `"${ws}:${ws}`);
          const { parts, extractor } = feed(json, sizes);
          expect(parts.join('')).toBe((JSON.parse(json) as { line: string }).line);
          expect(extractor.line).toBe(line);
          expect(extractor.done).toBe(true);
        },
      ),
    );
  });
});
