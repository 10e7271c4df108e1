import { formatFieldPath, formatProblem, type SourceProblem } from '../common/source-error.js';
import { positionOf, type YamlSource } from '../common/yaml-source.js';

export type Severity = 'error' | 'warning';

/** A lint finding: an error stops the pack from loading, a warning does not. */
export interface PackProblem extends SourceProblem {
  severity: Severity;
}

export type FieldPath = readonly (string | number)[];

/** `file:line:column: field: message (did you mean …)`; warnings say so before the message. */
export function formatPackProblem(p: PackProblem): string {
  return formatProblem(p.severity === 'warning' ? { ...p, message: `warning: ${p.message}` } : p);
}

/** Collects problems with positions taken from the YAML source. */
export class ProblemList {
  readonly items: PackProblem[] = [];

  constructor(private readonly src: YamlSource) {}

  get file(): string {
    return this.src.file;
  }

  error(path: FieldPath, message: string, suggestion?: string, atKey = false): void {
    this.add('error', path, message, suggestion, atKey);
  }

  warn(path: FieldPath, message: string, suggestion?: string): void {
    this.add('warning', path, message, suggestion);
  }

  get hasErrors(): boolean {
    return this.items.some((p) => p.severity === 'error');
  }

  private add(severity: Severity, path: FieldPath, message: string, suggestion?: string, atKey = false): void {
    const pos = positionOf(this.src, path, atKey);
    this.items.push({
      severity,
      file: this.src.file,
      ...pos,
      field: formatFieldPath(path),
      message,
      ...(suggestion ? { suggestion } : {}),
    });
  }
}

export function sortProblems(problems: PackProblem[]): PackProblem[] {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}
