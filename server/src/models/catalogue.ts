import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { closestName } from '../common/near-miss.js';
import { formatFieldPath, SourceError } from '../common/source-error.js';
import { parseYamlSource, positionOf, validateYamlSource } from '../common/yaml-source.js';
import { ModelsError } from './models-error.js';

/** What a catalogue entry installs: a Piper voice for sherpa-onnx, or a GGUF model for node-llama-cpp. */
export const MODEL_KINDS = ['piper-voice', 'gguf'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** Names become folder and file names, and `piper:<name>` voice ids. */
export const MODEL_NAME = /^[A-Za-z0-9][\w.-]*$/;
export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** One file of a catalogue entry, with the pin it must match. */
export interface CatalogueFile {
  role: 'model' | 'config';
  url: string;
  /** Bytes. */
  size?: number;
  /** Lower-case hex. */
  sha256: string;
  /** Where the pin was found, so anyone can check it. */
  source: string;
}

/** A model `stagecraft models pull <name>` can install. */
export interface CatalogueEntry {
  name: string;
  kind: ModelKind;
  description: string;
  licence: string;
  licenceUrl?: string;
  files: CatalogueFile[];
}

/** A model to pull: a catalogue entry, or one described on the command line. */
export type PullSpec = Pick<CatalogueEntry, 'name' | 'kind' | 'licence' | 'files'>;

const nonEmpty = { type: 'string', minLength: 1 } as const;
const url = { type: 'string', pattern: '^https?://[^/]' } as const;
const CATALOGUE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['entries'],
  properties: {
    entries: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'kind', 'description', 'licence', 'files'],
        properties: {
          name: { type: 'string', pattern: MODEL_NAME.source },
          kind: { enum: [...MODEL_KINDS] },
          description: nonEmpty,
          licence: nonEmpty,
          licenceUrl: url,
          files: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['role', 'url', 'sha256', 'source'],
              properties: {
                role: { enum: ['model', 'config'] },
                url,
                size: { type: 'integer', minimum: 1 },
                sha256: { type: 'string', pattern: SHA256_HEX.source },
                source: nonEmpty,
              },
            },
          },
        },
      },
    },
  },
};

let validator: ValidateFunction<{ entries: CatalogueEntry[] }> | undefined;

/**
 * The catalogue shipped with Stagecraft. It is read from the source tree by a path that resolves
 * the same from `src/models/` and from the compiled `dist/models/`.
 */
export const BUILTIN_CATALOGUE = fileURLToPath(new URL('../../src/models/catalogue.json', import.meta.url));

/** Parses a catalogue (JSON or YAML); throws SourceError naming file, line, column and field. */
export function parseCatalogue(text: string, file: string): CatalogueEntry[] {
  const src = parseYamlSource(text, file);
  validator ??= new Ajv({ allErrors: true, verbose: true }).compile<{ entries: CatalogueEntry[] }>(CATALOGUE_SCHEMA);
  const { entries } = validateYamlSource(src, validator);
  const problem = (path: (string | number)[], message: string) =>
    new SourceError([{ file, ...positionOf(src, path), field: formatFieldPath(path), message }]);
  const seen = new Set<string>();
  for (const [i, e] of entries.entries()) {
    if (seen.has(e.name)) throw problem(['entries', i, 'name'], `"${e.name}" is listed twice`);
    seen.add(e.name);
    const want = e.kind === 'piper-voice' ? { model: 1, config: 1 } : { model: 1, config: 0 };
    for (const [role, n] of Object.entries(want))
      if (e.files.filter((f) => f.role === role).length !== n)
        throw problem(['entries', i, 'files'], `a ${e.kind} needs ${n} file(s) with role "${role}"`);
  }
  return entries;
}

/** Reads a catalogue file, by default the built-in one. */
export function loadCatalogue(file = BUILTIN_CATALOGUE): CatalogueEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ModelsError('bad-request', `cannot read catalogue ${file}: ${(e as Error).message}`, false, { cause: e });
  }
  return parseCatalogue(text, file);
}

/** The entry called `name`; throws ModelsError `unknown-model` with the likely intended names. */
export function findEntry(entries: readonly CatalogueEntry[], name: string): CatalogueEntry {
  const found = entries.find((e) => e.name === name);
  if (found) return found;
  const names = entries.map((e) => e.name);
  const close = closestName(name, names);
  const lower = name.toLowerCase();
  const containing = names.filter((n) => lower.length >= 3 && n.toLowerCase().includes(lower));
  const hint = close
    ? `did you mean "${close}"?`
    : containing.length > 0
      ? `did you mean ${containing.map((n) => `"${n}"`).join(' or ')}?`
      : `known: ${names.join(', ') || 'none'}`;
  throw new ModelsError(
    'unknown-model',
    `"${name}" is not in the catalogue (${hint}); see \`stagecraft models list\`, or pull any file with --url and --sha256`,
  );
}
