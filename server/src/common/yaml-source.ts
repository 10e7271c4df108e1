import { readFile, stat } from 'node:fs/promises';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { type Document, isMap, isPair, isScalar, LineCounter, type Node, parseDocument, visit } from 'yaml';
import { didYouMean } from './near-miss.js';
import { formatFieldPath, SourceError, type SourcePosition, type SourceProblem } from './source-error.js';

/** A parsed YAML (or JSON) file that still knows where each value came from. */
export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

/**
 * Longest scene, pack or persona file, characters. A 10,000-NPC scene is about 0.5 MB; far larger
 * files cost seconds and gigabytes to parse before they could be refused for anything else.
 */
export const MAX_SOURCE_CHARS = 2 * 1024 * 1024;

/** Alias uses one document may expand to; more is refused as an alias bomb. */
const MAX_ALIAS_COUNT = 100;

/** Parses YAML or JSON text, keeping positions; throws SourceError on syntax errors or a file too large. */
export function parseYamlSource(text: string, file: string): YamlSource {
  if (text.length > MAX_SOURCE_CHARS) {
    const message =
      `the file has ${text.length.toLocaleString('en-US')} characters; ` +
      `the limit is ${MAX_SOURCE_CHARS.toLocaleString('en-US')} (split it, or move the cast into several scenes)`;
    throw new SourceError([{ file, line: 1, column: 1, field: '', message }]);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new SourceError(
      doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return { file, line: pos.line, column: pos.col, field: '', message: e.message.split('\n')[0] ?? e.message };
      }),
    );
  }
  return { file, doc, lines };
}

/** Position of the value at `path`, or of its nearest existing ancestor. */
export function positionOf(src: YamlSource, path: readonly (string | number)[], key = false): SourcePosition {
  for (let n = path.length; n >= 0; n--) {
    const node = nodeAt(src.doc, path.slice(0, n), key && n === path.length);
    if (node?.range) {
      const pos = src.lines.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return { line: 1, column: 1 };
}

function nodeAt(doc: Document.Parsed, path: readonly (string | number)[], wantKey: boolean): Node | undefined {
  if (!wantKey) {
    const node = doc.getIn(path, true);
    return node && typeof node === 'object' ? (node as Node) : undefined;
  }
  const parent = doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === last);
  return pair && isScalar(pair.key) ? pair.key : undefined;
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Turns one ajv error into a problem that names file, line, column and field. */
export function problemFromAjv(src: YamlSource, err: ErrorObject): SourceProblem {
  const path = pointerToPath(err.instancePath);
  const params = err.params as Record<string, unknown>;
  let message = err.message ?? 'is invalid';
  let suggestion: string | undefined;
  let pointAtKey = false;

  if (err.keyword === 'additionalProperties') {
    const extra = String(params.additionalProperty);
    path.push(extra);
    pointAtKey = true;
    message = 'unknown field';
    const allowed = Object.keys((err.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    suggestion = didYouMean(extra, allowed);
  } else if (err.keyword === 'required') {
    message = `missing required field "${String(params.missingProperty)}"`;
  } else if (err.keyword === 'enum') {
    const allowed = (params.allowedValues as unknown[]).map(String);
    const value = src.doc.getIn(path);
    message = `"${String(value)}" is not one of: ${allowed.join(', ')}`;
    suggestion = didYouMean(String(value), allowed);
  }
  const pos = positionOf(src, path, pointAtKey);
  return { file: src.file, ...pos, field: formatFieldPath(path), message, ...(suggestion ? { suggestion } : {}) };
}

/** Validates the document against a compiled JSON Schema; returns the value or throws SourceError. */
export function validateYamlSource<T>(src: YamlSource, validate: ValidateFunction<T>): T {
  const value: unknown = plainValue(src);
  if (validate(value)) return value;
  throw new SourceError(schemaProblems(src, validate.errors ?? []));
}

/** ajv's errors as problems, once each; `if/then` and `anyOf` wrappers repeat what their branches said. */
export function schemaProblems(src: YamlSource, errors: readonly ErrorObject[]): SourceProblem[] {
  return dedupe(
    errors
      .filter((e) => e.keyword !== 'if' && e.keyword !== 'anyOf' && e.keyword !== 'oneOf')
      .map((e) => problemFromAjv(src, e)),
  );
}

/** The document as plain data; an alias bomb is refused at its first alias, by file and line. */
export function plainValue(src: YamlSource): unknown {
  try {
    return src.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (!(e instanceof ReferenceError) || !/alias/i.test(e.message)) throw e;
    let at = 0;
    visit(src.doc, {
      Alias(_key, node) {
        at = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    const pos = src.lines.linePos(at);
    const message = `aliases expand to more than ${MAX_ALIAS_COUNT} copies (refused as a resource-exhaustion attack); write the values out`;
    throw new SourceError([{ file: src.file, line: pos.line, column: pos.col, field: '', message }]);
  }
}

function dedupe(problems: SourceProblem[]): SourceProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}:${p.column}:${p.field}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Reads a scene, pack or persona file, refusing one larger than MAX_SOURCE_CHARS bytes before
 * reading it (SourceError naming `shown`, the file as users see it). Other read errors are thrown.
 */
export async function readSourceFile(file: string, shown: string): Promise<string> {
  const { size } = await stat(file);
  if (size > MAX_SOURCE_CHARS) {
    const message =
      `the file has ${size.toLocaleString('en-US')} bytes; ` +
      `the limit is ${MAX_SOURCE_CHARS.toLocaleString('en-US')} (split it, or move the cast into several scenes)`;
    throw new SourceError([{ file: shown, line: 1, column: 1, field: '', message }]);
  }
  return readFile(file, 'utf8');
}
