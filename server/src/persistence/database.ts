/** One page of rows plus how many rows the statement touched (returned, inserted, updated or deleted). */
export interface QueryResult<T> {
  rows: T[];
  /** Rows returned by a SELECT or changed by INSERT/UPDATE/DELETE; 0 for statements that report none. */
  rowCount: number;
}

/** Anything that runs one parameterised statement (`$1`, `$2`, …). */
export interface Queryable {
  query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
}

/** A transaction: statements run on one connection and commit together, or not at all. */
export interface Transaction extends Queryable {
  /** Runs a script of several statements without parameters (e.g. a migration file). */
  exec(sql: string): Promise<void>;
}

/**
 * The database the server stores scenes and their event logs in. Both drivers return int8
 * as a JS number, json/jsonb parsed, timestamptz as Date, and report `rowCount` the same way.
 */
export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs a script of several statements without parameters. */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in a transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Closes connections; safe to call twice. */
  close(): Promise<void>;
}

/** A failed statement or connection. `code` is the SQLSTATE when the server sent one; `cause` is the driver's error. */
export class DatabaseError extends Error {
  readonly code: string | undefined;
  /** 1-based character offset of the error in the statement, when the server reported one. */
  readonly position: number | undefined;

  constructor(message: string, options: { cause?: unknown; code?: string; position?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = 'DatabaseError';
    this.code = options.code;
    this.position = options.position;
  }
}

/** Wraps a driver error, naming the statement it came from (its first line, shortened). */
export function wrapDriverError(error: unknown, sql: string): DatabaseError {
  if (error instanceof DatabaseError) return error;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; position?: unknown };
  const code = typeof fields.code === 'string' && /^[0-9A-Z]{5}$/.test(fields.code) ? fields.code : undefined;
  const position = Number(fields.position);
  const reason = error instanceof Error ? error.message : String(error);
  return new DatabaseError(`${reason}${code ? ` (SQLSTATE ${code})` : ''} in: ${summarise(sql)}`, {
    cause: error,
    code,
    position: Number.isInteger(position) && position > 0 ? position : undefined,
  });
}

/**
 * Parses an int8 column to a JS number. Values outside ±(2^53 - 1) would silently lose precision
 * as numbers, so they throw; cast such a column to text or numeric in SQL to read it.
 */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(
      `int8 value ${text} is outside JavaScript's safe integer range (±${Number.MAX_SAFE_INTEGER}); ` +
        'cast it to text or numeric in SQL to read it exactly',
    );
  }
  return value;
}

function summarise(sql: string): string {
  const line = sql.trim().split('\n', 1)[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
