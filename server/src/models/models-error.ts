export type ModelsErrorCode =
  | 'unknown-model'
  | 'bad-request'
  | 'http'
  | 'interrupted'
  | 'size-mismatch'
  | 'hash-mismatch'
  | 'io'
  | 'conflict'
  | 'bad-model';

/**
 * A `stagecraft models` failure with a message fit for the user: it names the model, the URL or
 * the path involved. `retryable` says whether running the same command again may succeed.
 */
export class ModelsError extends Error {
  constructor(
    readonly code: ModelsErrorCode,
    message: string,
    readonly retryable = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ModelsError';
  }
}

const FS_REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  ENOTDIR: 'a parent is not a folder',
  EISDIR: 'is a folder',
  ENOENT: 'no such file or folder',
};

/** Wraps a file-system error as a ModelsError naming `path` and what was being done. */
export function fsError(doing: string, path: string, err: unknown): ModelsError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reason = (code && FS_REASONS[code]) ?? (err as Error | undefined)?.message ?? String(err);
  return new ModelsError('io', `cannot ${doing} ${path}: ${reason}${code ? ` (${code})` : ''}`, false, { cause: err });
}

/** Runs a file-system step, turning its errors into ModelsErrors that name the path. */
export async function fsStep<T>(doing: string, path: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof ModelsError) throw err;
    throw fsError(doing, path, err);
  }
}
