import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Database, Transaction } from './database.js';
import { DatabaseError } from './database.js';

/** server/migrations/, from both server/src/persistence/ and server/dist/persistence/. */
export const MIGRATIONS_DIR = new URL('../../migrations/', import.meta.url);

const FILE_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** One SQL file; `id` is its name without `.sql`, `checksum` the SHA-256 of its text. */
export interface Migration {
  id: string;
  file: string;
  sql: string;
  checksum: string;
}

/** A migration file that is misnamed, fails, or disagrees with what the database already ran. */
export class MigrationError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/** Reads `NNNN_name.sql` files from `dir` in order. */
export async function loadMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const folder = fileURLToPath(dir);
  const names = (await readdir(folder)).filter((name) => name.endsWith('.sql')).sort();
  if (names.length === 0) throw new MigrationError(`no migration files (NNNN_name.sql) in ${folder}`);
  const seen = new Map<string, string>();
  const migrations: Migration[] = [];
  for (const file of names) {
    const number = FILE_NAME.exec(file)?.[1];
    if (number === undefined) {
      throw new MigrationError(`${folder}${file}: migration files are named NNNN_lower_case_name.sql`);
    }
    const clash = seen.get(number);
    if (clash) throw new MigrationError(`${folder}${file}: number ${number} is already used by ${clash}`);
    seen.set(number, file);
    const sql = await readFile(new URL(file, dir), 'utf8');
    migrations.push({ id: file.slice(0, -'.sql'.length), file, sql, checksum: sha256(sql) });
  }
  return migrations;
}

/**
 * Applies pending migrations in order, each in its own transaction, and returns the ids it applied.
 * On PostgreSQL a transaction-scoped advisory lock (per schema) keeps two processes that start
 * together from racing. Refuses to run when the database holds a migration this build does not
 * know, or one whose file has changed since it ran.
 */
export async function migrate(db: Database, migrations?: Migration[]): Promise<string[]> {
  const files = migrations ?? (await loadMigrations());
  const known = new Map(files.map((m) => [m.id, m]));
  const done = await db.transaction(async (tx) => {
    await lock(tx, db);
    await tx.exec(`create table if not exists schema_migrations (
      id text primary key,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`);
    return (await tx.query<{ id: string; checksum: string }>('select id, checksum from schema_migrations order by id'))
      .rows;
  });
  for (const row of done) {
    const file = known.get(row.id);
    if (!file) {
      throw new MigrationError(
        `the database has migration ${row.id}, which this build does not have; run a newer Stagecraft against it`,
      );
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        `${file.file} changed after it was applied to this database; add a new migration instead of editing it`,
      );
    }
  }
  const applied: string[] = [];
  const already = new Set(done.map((row) => row.id));
  for (const migration of files) {
    if (already.has(migration.id)) continue;
    const ran = await db.transaction(async (tx) => {
      await lock(tx, db);
      const found = await tx.query('select 1 from schema_migrations where id = $1', [migration.id]);
      if (found.rowCount > 0) return false;
      await runFile(tx, migration);
      await tx.query('insert into schema_migrations (id, checksum) values ($1, $2)', [
        migration.id,
        migration.checksum,
      ]);
      return true;
    });
    if (ran) applied.push(migration.id);
  }
  return applied;
}

async function lock(tx: Transaction, db: Database): Promise<void> {
  if (db.kind !== 'postgres') return;
  await tx.query(
    "select pg_advisory_xact_lock(hashtext('stagecraft.migrations'), hashtext(coalesce(current_schema(), '')))",
  );
}

async function runFile(tx: Transaction, migration: Migration): Promise<void> {
  try {
    await tx.exec(migration.sql);
  } catch (e) {
    const position = e instanceof DatabaseError ? e.position : undefined;
    const where =
      position === undefined ? migration.file : `${migration.file}:${lineAndColumn(migration.sql, position)}`;
    const reason = e instanceof DatabaseError && e.cause instanceof Error ? e.cause.message : String(e);
    throw new MigrationError(`migration ${where} failed: ${reason}`, { cause: e });
  }
}

/** `line:column` (both 1-based) of a 1-based character offset. */
function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position - 1).split('\n');
  return `${before.length}:${(before[before.length - 1] ?? '').length + 1}`;
}

/** Line endings are normalised so a checkout with CRLF endings matches what ran before. */
function sha256(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');
}
