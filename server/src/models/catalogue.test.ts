import { describe, expect, it } from '@jest/globals';
import { SourceError } from '../common/source-error.js';
import { findEntry, loadCatalogue, parseCatalogue } from './catalogue.js';
import { ModelsError } from './models-error.js';

const builtin = loadCatalogue();
const message = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a failure');
};

describe('the built-in catalogue', () => {
  it('pins every file with a sha256, a size and the source of the pin', () => {
    expect(builtin.map((e) => `${e.kind} ${e.name}`)).toEqual([
      'piper-voice en_US-lessac-medium',
      'gguf qwen2.5-0.5b-instruct-q4_k_m',
      'gguf smollm2-360m-instruct-q4_k_m',
    ]);
    for (const e of builtin) {
      expect(e.licence.length).toBeGreaterThan(0);
      for (const f of e.files) {
        expect(f.url).toMatch(/^https:\/\/huggingface\.co\//);
        expect(f.size).toBeGreaterThan(0);
        expect(f.source.length).toBeGreaterThan(40);
      }
    }
  });

  it('fetches the Piper voice from a pinned revision of rhasspy/piper-voices', () => {
    const lessac = findEntry(builtin, 'en_US-lessac-medium');
    expect(lessac.files.map((f) => f.url)).toEqual([
      'https://huggingface.co/rhasspy/piper-voices/resolve/v1.0.0/en/en_US/lessac/medium/en_US-lessac-medium.onnx',
      'https://huggingface.co/rhasspy/piper-voices/resolve/v1.0.0/en/en_US/lessac/medium/en_US-lessac-medium.onnx.json',
    ]);
  });

  it('answers an unknown name with the names it probably meant', () => {
    expect(() => findEntry(builtin, 'en_US-lessac-medum')).toThrow(ModelsError);
    expect(message(() => findEntry(builtin, 'en_US-lessac-medum'))).toContain(
      '"en_US-lessac-medum" is not in the catalogue (did you mean "en_US-lessac-medium"?)',
    );
    expect(message(() => findEntry(builtin, 'q4_k_m'))).toContain(
      'did you mean "qwen2.5-0.5b-instruct-q4_k_m" or "smollm2-360m-instruct-q4_k_m"?',
    );
    expect(message(() => findEntry(builtin, 'mistral'))).toContain('known: en_US-lessac-medium, ');
  });
});

describe('a catalogue file', () => {
  const file = (files: string) => `entries:
  - name: my-voice
    kind: piper-voice
    description: a voice
    licence: CC0
    files:
${files}`;
  const model = `      - role: model
        url: https://example.com/v.onnx
        sha256: ${'a'.repeat(64)}
        source: our release notes
`;

  it('names file, line, column and field for each problem, with near-miss hints', () => {
    const text = file(`${model}      - role: config
        url: https://example.com/v.onnx.json
        sha265: ${'b'.repeat(64)}
        source: our release notes
`);
    const err = (() => {
      try {
        parseCatalogue(text, 'ours.yaml');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toContain(
      'ours.yaml:13:9: entries[0].files[1].sha265: unknown field (did you mean "sha256"?)',
    );
    expect((err as Error).message).toContain('ours.yaml:11:9: entries[0].files[1]: missing required field "sha256"');
  });

  it('needs a config file for a Piper voice and refuses a name listed twice', () => {
    expect(message(() => parseCatalogue(file(model), 'ours.yaml'))).toBe(
      'ours.yaml:7:7: entries[0].files: a piper-voice needs 1 file(s) with role "config"',
    );
    const gguf = (name: string) =>
      `  - { name: ${name}, kind: gguf, description: d, licence: MIT, files: [{ role: model, url: "https://e.com/m.gguf", sha256: "${'c'.repeat(64)}", source: s }] }\n`;
    expect(message(() => parseCatalogue(`entries:\n${gguf('m')}${gguf('m')}`, 'two.yaml'))).toBe(
      'two.yaml:3:13: entries[1].name: "m" is listed twice',
    );
  });
});
