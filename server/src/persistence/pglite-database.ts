import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { PGlite, type Transaction as PgliteTransaction, type Results } from '@electric-sql/pglite';
import {
  type Database,
  DatabaseError,
  parseInt8,
  type QueryResult,
  type Transaction,
  wrapDriverError,
} from './database.js';
import { type FolderLock, LOCK_FILE, lockDataFolder } from './folder-lock.js';

const INT8_OID = 20;

export interface PgliteDatabaseOptions {
  /** Folder for the database files; in memory when absent. Created when missing. */
  dataDir?: string;
}

/** The embedded PostgreSQL (PGlite, WebAssembly), same SQL as the server. One connection; statements queue. */
export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly pg: PGlite,
    private readonly where: string,
    private readonly lock: FolderLock | undefined,
  ) {}

  /** Opens the database; a data folder is locked for this process until `close`. */
  static async open(options: PgliteDatabaseOptions = {}): Promise<PgliteDatabase> {
    const dataDir = options.dataDir === undefined ? undefined : path.resolve(options.dataDir);
    if (dataDir !== undefined) prepareDataDir(dataDir);
    const lock = dataDir === undefined ? undefined : lockDataFolder(dataDir);
    try {
      const pg = await PGlite.create({ dataDir, parsers: { [INT8_OID]: parseInt8 } });
      return new PgliteDatabase(pg, dataDir ?? 'memory', lock);
    } catch (e) {
      lock?.release();
      const reason = e instanceof Error ? e.message : String(e);
      throw new DatabaseError(`could not open the embedded database at ${dataDir ?? 'memory'}: ${reason}`, {
        cause: e,
      });
    }
  }

  async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    this.assertOpen();
    return runQuery<T>(this.pg, sql, params);
  }

  async exec(sql: string): Promise<void> {
    this.assertOpen();
    await runExec(this.pg, sql);
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    this.assertOpen();
    return this.pg.transaction((inner) =>
      fn({
        query: <R>(sql: string, params?: unknown[]) => runQuery<R>(inner, sql, params),
        exec: (sql: string) => runExec(inner, sql),
      }),
    );
  }

  close(): Promise<void> {
    this.closing ??= this.pg.close().finally(() => this.lock?.release());
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing) throw new DatabaseError(`embedded database at ${this.where} is closed`);
  }
}

async function runQuery<T>(
  target: PGlite | PgliteTransaction,
  sql: string,
  params?: unknown[],
): Promise<QueryResult<T>> {
  let result: Results<T>;
  try {
    result = await target.query<T>(sql, params);
  } catch (e) {
    throw wrapDriverError(e, sql);
  }
  return { rows: result.rows, rowCount: result.rowCount ?? result.affectedRows ?? 0 };
}

async function runExec(target: PGlite | PgliteTransaction, sql: string): Promise<void> {
  try {
    await target.exec(sql);
  } catch (e) {
    throw wrapDriverError(e, sql);
  }
}

/**
 * PGlite runs initdb into any folder it is given, mixing its files with whatever is there.
 * Refuse a folder that holds other files rather than risk someone's data.
 */
function prepareDataDir(dataDir: string): void {
  if (!existsSync(dataDir)) {
    mkdirSync(dataDir, { recursive: true });
    return;
  }
  if (!statSync(dataDir).isDirectory()) {
    throw new DatabaseError(`database folder ${dataDir} is a file, not a folder`);
  }
  const entries = readdirSync(dataDir).filter((e) => e !== LOCK_FILE);
  if (entries.length > 0 && !entries.includes('PG_VERSION')) {
    throw new DatabaseError(
      `database folder ${dataDir} holds other files and no database (no PG_VERSION); ` +
        'point STAGECRAFT_DATA_DIR at an empty or new folder',
    );
  }
}
