import type { ErrorObject, ValidateFunction } from 'ajv';
import type { SourceProblem } from './source-error.js';
import { plainValue, schemaProblems, type YamlSource } from './yaml-source.js';

export type ValuePath = (string | number)[];

/** What is left of a document once the parts the schema rejects are taken out. */
export interface PrunedDocument<T> {
  /** Every schema problem of the document, as written (positions in the original). */
  problems: SourceProblem[];
  /** The valid rest, or undefined when nothing usable is left (the document itself is wrong). */
  value?: T;
  /** Turns a path into `value` back into the path of the same node in the original document. */
  originalPath(path: readonly (string | number)[]): ValuePath;
  /** Whether something at or under this path of the original was left out. */
  leftOut(path: readonly (string | number)[]): boolean;
}

const keyOf = (p: readonly (string | number)[]) => JSON.stringify(p);

function pointerToPath(pointer: string): ValuePath {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** The node to leave out for one schema error: the offending value, or the object missing a field. */
function dropPath(err: ErrorObject): ValuePath {
  const path = pointerToPath(err.instancePath);
  const params = err.params as Record<string, unknown>;
  if (err.keyword === 'additionalProperties') return [...path, String(params.additionalProperty)];
  if (err.keyword === 'propertyNames' && params.propertyName !== undefined)
    return [...path, String(params.propertyName)];
  return path;
}

/**
 * Validates a document and, where it is wrong, leaves the wrong parts out (an unknown field, a
 * value of the wrong kind, an object missing a required field) until the rest is valid, so a
 * linter can check names and contradictions in the same pass as the schema.
 */
export function pruneToSchema<T>(src: YamlSource, validate: ValidateFunction<T>): PrunedDocument<T> {
  const original: unknown = plainValue(src);
  const dropped = new Set<string>();
  let kept = new Map<string, number[]>();
  const originalPath = (path: readonly (string | number)[]): ValuePath => {
    const out: ValuePath = [];
    for (const seg of path) out.push(typeof seg === 'number' ? (kept.get(keyOf(out))?.[seg] ?? seg) : seg);
    return out;
  };
  const leftOut = (path: readonly (string | number)[]) => {
    const key = keyOf(path);
    const prefix = `${key.slice(0, -1)},`;
    return [...dropped].some((k) => k === key || k.startsWith(prefix));
  };
  if (validate(original)) return { problems: [], value: original, originalPath, leftOut };
  const problems = schemaProblems(src, validate.errors ?? []);
  for (let round = 0; round < 100; round++) {
    let added = 0;
    for (const err of validate.errors ?? []) {
      const at = originalPath(dropPath(err));
      if (at.length === 0) return { problems, originalPath, leftOut };
      if (!dropped.has(keyOf(at))) {
        dropped.add(keyOf(at));
        added++;
      }
    }
    if (added === 0) break;
    kept = new Map();
    const value = without(original, [], dropped, kept);
    if (validate(value)) return { problems, value, originalPath, leftOut };
  }
  return { problems, originalPath, leftOut };
}

function without(value: unknown, path: ValuePath, dropped: Set<string>, kept: Map<string, number[]>): unknown {
  if (Array.isArray(value)) {
    const indexes: number[] = [];
    const out: unknown[] = [];
    value.forEach((v, i) => {
      const p = [...path, i];
      if (dropped.has(keyOf(p))) return;
      indexes.push(i);
      out.push(without(v, p, dropped, kept));
    });
    kept.set(keyOf(path), indexes);
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = [...path, k];
      if (!dropped.has(keyOf(p))) out[k] = without(v, p, dropped, kept);
    }
    return out;
  }
  return value;
}
