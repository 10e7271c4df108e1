import { SourceError } from '../source-error.js';

/** The problems of the SourceError `fn` throws; fails when it throws none or another error. */
export function problemsOf(fn: () => unknown): SourceError['problems'] {
  try {
    fn();
  } catch (e) {
    if (e instanceof SourceError) return e.problems;
    throw e;
  }
  throw new Error('expected a SourceError');
}

/** The SourceError `p` rejects with; fails when it resolves or rejects with another error. */
export async function rejection(p: Promise<unknown>): Promise<SourceError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof SourceError)) throw new Error(`expected a SourceError, got ${String(e)}`);
  return e;
}
