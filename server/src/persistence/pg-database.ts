import { Pool, type PoolClient, types } from 'pg';
import {
  type Database,
  DatabaseError,
  parseInt8,
  type QueryResult,
  type Transaction,
  wrapDriverError,
} from './database.js';

const INT8_OID = 20;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PgDatabaseOptions {
  /** postgres:// or postgresql:// URL. */
  url: string;
  /** Existing schema to work in: set as search_path on every pooled connection. Lower-case letters, digits, `_`. */
  schema?: string;
  /** Pool size; pg's default (10) when absent. */
  maxConnections?: number;
  /**
   * Longest a statement may run, ms (default 5000): PostgreSQL's statement_timeout, and a
   * client-side limit a little longer for a server that does not answer at all.
   */
  statementTimeoutMs?: number;
  /** Longest wait for a connection, ms (default 5000). */
  connectTimeoutMs?: number;
}

/** How much longer than statement_timeout the client waits for a server that is frozen, ms. */
const CLIENT_GRACE_MS = 1000;

/** PostgreSQL through a `pg` connection pool. */
export class PgDatabase implements Database {
  readonly kind = 'postgres' as const;
  private readonly searchPathSet = new WeakSet<PoolClient>();
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly pool: Pool,
    private readonly target: string,
    private readonly schema: string | undefined,
  ) {}

  /** Connects and checks the server answers (and that `schema` exists) before returning. */
  static async connect(options: PgDatabaseOptions): Promise<PgDatabase> {
    const target = describeUrl(options.url);
    if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
      throw new DatabaseError(
        `schema "${options.schema}" is not a plain name: use lower-case letters, digits and _ (at most 63)`,
      );
    }
    const statementMs = options.statementTimeoutMs ?? 5000;
    const pool = new Pool({
      connectionString: options.url,
      max: options.maxConnections,
      // Without limits, an unreachable or frozen server makes every caller wait forever.
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      statement_timeout: statementMs,
      query_timeout: statementMs + CLIENT_GRACE_MS,
      types: {
        getTypeParser: (oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID && format !== 'binary' ? parseInt8 : types.getTypeParser(oid, format),
      },
    });
    // An idle client that loses its connection is dropped by the pool; the next query opens a new one.
    pool.on('error', () => {});
    const db = new PgDatabase(pool, target, options.schema);
    try {
      if (options.schema !== undefined) {
        const found = await db.query('select 1 from pg_namespace where nspname = $1', [options.schema]);
        if (found.rowCount === 0) throw new DatabaseError(`schema "${options.schema}" does not exist in ${target}`);
      } else {
        await db.query('select 1');
      }
    } catch (e) {
      await db.close();
      throw e;
    }
    return db;
  }

  async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    const client = await this.acquire();
    let broken: Error | undefined;
    try {
      return await runQuery<T>(client, sql, params);
    } catch (e) {
      if (isConnectionTrouble(e)) broken = e as Error;
      throw e;
    } finally {
      // A connection that timed out or failed is destroyed, never handed to the next caller.
      client.release(broken);
    }
  }

  async exec(sql: string): Promise<void> {
    await this.query(sql);
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const client = await this.acquire();
    let broken: Error | undefined;
    try {
      await runQuery(client, 'begin');
      const tx: Transaction = {
        query: <R>(sql: string, params?: unknown[]) => runQuery<R>(client, sql, params),
        exec: async (sql: string) => {
          await runQuery(client, sql);
        },
      };
      const result = await fn(tx);
      await runQuery(client, 'commit');
      return result;
    } catch (e) {
      if (isConnectionTrouble(e)) {
        broken = e as Error; // no rollback on a connection that does not answer: destroying it rolls back
        throw e;
      }
      try {
        await client.query('rollback');
      } catch (rollbackError) {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      throw e;
    } finally {
      // Passing an error destroys the connection instead of returning it in an unknown state.
      client.release(broken);
    }
  }

  close(): Promise<void> {
    this.closing ??= this.pool.end();
    return this.closing;
  }

  private readonly listening = new WeakSet<PoolClient>();

  private async acquire(): Promise<PoolClient> {
    if (this.closing) throw new DatabaseError(`database ${this.target} is closed`);
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw new DatabaseError(`could not connect to PostgreSQL at ${this.target}: ${reason}`, { cause: e });
    }
    // A connection that dies while checked out emits 'error' on its client, which the pool only
    // listens for while the client is idle: unheard, it would end the process. The query in
    // flight fails with it anyway, and the client is released as broken.
    if (!this.listening.has(client)) {
      client.on('error', () => {});
      this.listening.add(client);
    }
    if (this.schema === undefined || this.searchPathSet.has(client)) return client;
    try {
      await runQuery(client, `set search_path to "${this.schema}"`);
    } catch (e) {
      client.release(e instanceof Error ? e : true);
      throw e;
    }
    this.searchPathSet.add(client);
    return client;
  }
}

async function runQuery<T>(client: PoolClient, sql: string, params?: unknown[]): Promise<QueryResult<T>> {
  try {
    const result = await client.query(sql, params);
    // A multi-statement script yields one result per statement; the last one is what ran last.
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    return { rows: (last?.rows ?? []) as T[], rowCount: last?.rowCount ?? 0 };
  } catch (e) {
    throw wrapDriverError(e, sql);
  }
}

/** A failure of the connection (timeout, reset) rather than of the SQL: it has no SQLSTATE. */
function isConnectionTrouble(e: unknown): boolean {
  return e instanceof DatabaseError ? e.code === undefined : true;
}

/** host:port/database from a URL, never the password. */
function describeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseError('database URL is not a valid URL; expected postgres://user@host:port/database');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new DatabaseError(`database URL must start with postgres:// or postgresql://, not ${parsed.protocol}//`);
  }
  return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}${parsed.pathname}`;
}
