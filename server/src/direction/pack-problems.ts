import { formatFieldPath, formatProblem, type SourceProblem } from '../common/source-error.js';
import { positionOf, type YamlSource } from '../common/yaml-source.js';

export type Severity = 'error' | 'warning';

/** A rule (or field) a contradiction involves, where it is written. */
export interface InvolvedRule {
  /** The rule id verdicts use, or the field for timing and outcome settings. */
  rule: string;
  field: string;
  line: number;
  column: number;
}

/** A lint finding: an error stops the pack from loading, a warning does not. */
export interface PackProblem extends SourceProblem {
  severity: Severity;
  /** For a contradiction: every rule involved in it. */
  involves?: InvolvedRule[];
}

/** A rule a contradiction involves: its id and where it is written. */
export interface Involved {
  rule: string;
  path: FieldPath;
}

export type FieldPath = readonly (string | number)[];

/** `file:line:column: field: message (did you mean …)`; warnings say so before the message. */
export function formatPackProblem(p: PackProblem): string {
  const line = formatProblem(p.severity === 'warning' ? { ...p, message: `warning: ${p.message}` } : p);
  if (!p.involves?.length) return line;
  return `${line} [rules: ${p.involves.map((r) => `${r.rule} at ${r.line}:${r.column}`).join(', ')}]`;
}

/** Collects problems with positions taken from the YAML source. */
export class ProblemList {
  readonly items: PackProblem[] = [];

  /** `originalPath` maps a path in the value being checked to the same node in the file. */
  constructor(
    private readonly src: YamlSource,
    private readonly originalPath: (path: FieldPath) => FieldPath = (path) => path,
    private readonly leftOut: (path: FieldPath) => boolean = () => false,
  ) {}

  get file(): string {
    return this.src.file;
  }

  error(path: FieldPath, message: string, suggestion?: string, atKey = false): void {
    this.add('error', path, message, suggestion, atKey);
  }

  /** A warning about a part the schema check left something out of is skipped: it follows from that error. */
  warn(path: FieldPath, message: string, suggestion?: string): void {
    if (this.leftOut(this.originalPath(path))) return;
    this.add('warning', path, message, suggestion);
  }

  /** A contradiction between rules, naming every rule involved. */
  contradiction(severity: Severity, path: FieldPath, message: string, involves: readonly Involved[]): void {
    this.add(severity, path, message);
    const seen = new Set<string>();
    const list: InvolvedRule[] = [];
    for (const r of involves) {
      if (seen.has(r.rule)) continue;
      seen.add(r.rule);
      const at = this.originalPath(r.path);
      list.push({ rule: r.rule, field: formatFieldPath(at), ...positionOf(this.src, at) });
    }
    const last = this.items[this.items.length - 1];
    if (last) last.involves = list;
  }

  get hasErrors(): boolean {
    return this.items.some((p) => p.severity === 'error');
  }

  private add(severity: Severity, path: FieldPath, message: string, suggestion?: string, atKey = false): void {
    const at = this.originalPath(path);
    const pos = positionOf(this.src, at, atKey);
    this.items.push({
      severity,
      file: this.src.file,
      ...pos,
      field: formatFieldPath(at),
      message,
      ...(suggestion ? { suggestion } : {}),
    });
  }
}

/** In file order, each problem once (two checks may find the same thing). */
export function sortProblems(problems: PackProblem[]): PackProblem[] {
  const seen = new Set<string>();
  return [...problems]
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column)
    .filter((p) => {
      const key = `${p.line}:${p.column}:${p.field}:${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
