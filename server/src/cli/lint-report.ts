import type { PackProblem } from '../direction/pack-problems.js';
import { formatPackProblem } from '../direction/pack-problems.js';

/** One linted file and what was found in it, in line order. */
export interface LintedFile {
  file: string;
  problems: PackProblem[];
}

/** What `constraints lint --format json` prints. */
export interface LintReport {
  files: LintedFile[];
  errors: number;
  warnings: number;
}

export function lintReport(files: LintedFile[]): LintReport {
  const all = files.flatMap((f) => f.problems);
  return {
    files,
    errors: all.filter((p) => p.severity === 'error').length,
    warnings: all.filter((p) => p.severity === 'warning').length,
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The report as lines, `file:line:column: field: message (suggestion)`, then the summary line. */
export function formatLintReport(r: LintReport): { lines: string; summary: string } {
  const lines = r.files.flatMap((f) => f.problems.map((p) => `${formatPackProblem(p)}\n`)).join('');
  const summary = `${plural(r.files.length, 'file')}: ${plural(r.errors, 'error')}, ${plural(r.warnings, 'warning')}\n`;
  return { lines, summary };
}
