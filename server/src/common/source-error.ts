/** A position in a user's file: 1-based line and column. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** One problem found in a user's file, named by file, line, column and field. */
export interface SourceProblem extends SourcePosition {
  file: string;
  /** Dotted path to the offending field, e.g. `cast[2].tier`; empty for the whole document. */
  field: string;
  message: string;
  /** A near-miss correction, e.g. `did you mean "flee"?`. */
  suggestion?: string;
}

export function formatProblem(p: SourceProblem): string {
  const where = `${p.file}:${p.line}:${p.column}`;
  const field = p.field ? ` ${p.field}:` : '';
  const hint = p.suggestion ? ` (${p.suggestion})` : '';
  return `${where}:${field} ${p.message}${hint}`;
}

/** Thrown when a user's file cannot be used; carries every problem found, not only the first. */
export class SourceError extends Error {
  readonly problems: SourceProblem[];

  constructor(problems: SourceProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'SourceError';
    this.problems = problems;
  }
}

/** Formats a path such as ['cast', 2, 'tier'] as `cast[2].tier`. */
export function formatFieldPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}
