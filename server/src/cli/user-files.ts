import { readFileSync } from 'node:fs';
import path from 'node:path';

/** A mistake in how a command was called (a missing file, a bad flag): printed as one line, exit code 1. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * The directory the user ran the command from. npm sets INIT_CWD to it when it starts a
 * command in another folder (`npx -w server stagecraft …` runs inside `server/`).
 */
export function callerDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.INIT_CWD && path.isAbsolute(env.INIT_CWD) ? env.INIT_CWD : process.cwd();
}

/** A path as the user wrote it, resolved from the directory they ran the command in. */
export function callerPath(file: string): string {
  return path.resolve(callerDir(), file);
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a folder, not a file',
  EACCES: 'permission denied',
};

/** Reads a file the user named; a failure is a UsageError naming the file as they wrote it. */
export function readUserFile(file: string): string {
  try {
    return readFileSync(callerPath(file), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new UsageError(`cannot read ${file}: ${REASONS[code] ?? (e as Error).message}`);
  }
}
