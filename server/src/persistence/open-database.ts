import type { Database } from './database.js';
import { DatabaseError } from './database.js';
import { migrate } from './migrations.js';
import { PgDatabase } from './pg-database.js';
import { PgliteDatabase } from './pglite-database.js';

export interface OpenDatabaseOptions {
  /** PostgreSQL URL; the embedded PGlite database is used when absent or empty. */
  url?: string;
  /** PGlite data folder; in memory when absent. Ignored when `url` is set. */
  dataDir?: string;
  /** PostgreSQL only: an existing schema to keep every table in (see PgDatabaseOptions.schema). */
  schema?: string;
  /** PostgreSQL only: statement and connection timeouts, ms (see PgDatabaseOptions). */
  statementTimeoutMs?: number;
  connectTimeoutMs?: number;
}

/** Opens PostgreSQL when `url` is set, else PGlite, and applies pending migrations before returning. */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  let db: Database;
  if (options.url) {
    db = await PgDatabase.connect({
      url: options.url,
      schema: options.schema,
      statementTimeoutMs: options.statementTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs,
    });
  } else {
    if (options.schema !== undefined) {
      throw new DatabaseError('the schema option applies to PostgreSQL only; set url or leave schema out');
    }
    db = await PgliteDatabase.open({ dataDir: options.dataDir });
  }
  try {
    await migrate(db);
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}
