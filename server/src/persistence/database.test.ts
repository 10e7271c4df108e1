import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Database, DatabaseError, parseInt8 } from './database.js';
import { loadMigrations, MIGRATIONS_DIR, MigrationError, migrate } from './migrations.js';
import { describeEachDatabase } from './test-support/targets.js';

describeEachDatabase('Database conformance', (target) => {
  let db: Database;
  let scratch: string;

  beforeAll(async () => {
    db = await target.open();
    scratch = await mkdtemp(path.join(tmpdir(), 'stagecraft-migrations-'));
    await db.exec('create table conformance_rows (id int8 primary key, label text not null)');
  });

  afterAll(async () => {
    await db?.close();
    await target.dispose();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('reports which driver it is', () => {
    expect(db.kind).toBe(target.kind);
  });

  it('runs migrations idempotently', async () => {
    expect(await migrate(db)).toEqual([]);
    expect(await migrate(db)).toEqual([]);
    const { rows } = await db.query<{ id: string }>('select id from schema_migrations order by id');
    expect(rows.map((r) => r.id)).toEqual(['0001_init', '0002_dialogue_memory', '0003_revoked_tokens']);
  });

  it('returns int8 as a number', async () => {
    const { rows } = await db.query<{ n: unknown; c: unknown; m: unknown }>(
      'select 42::int8 as n, count(*) as c, $1::int8 as m from scenes',
      [Number.MAX_SAFE_INTEGER],
    );
    expect(rows[0]).toEqual({ n: 42, c: 0, m: Number.MAX_SAFE_INTEGER });
  });

  it('refuses int8 beyond the safe integer range instead of rounding it, and keeps working', async () => {
    await expect(db.query('select 9007199254740993::int8 as n')).rejects.toThrow(/safe integer range/);
    expect((await db.query<{ ok: number }>('select 1 as ok')).rows).toEqual([{ ok: 1 }]);
  });

  it('counts rows touched by insert, update, delete and select, and 0 for DDL', async () => {
    const insert = await db.query('insert into conformance_rows (id, label) values (1, $1), (2, $1), (3, $1)', ['a']);
    expect(insert.rowCount).toBe(3);
    const update = await db.query('update conformance_rows set label = $1 where id >= 2', ['b']);
    expect(update.rowCount).toBe(2);
    const none = await db.query('update conformance_rows set label = $1 where id > 100', ['c']);
    expect(none.rowCount).toBe(0);
    const select = await db.query('select * from conformance_rows');
    expect(select.rowCount).toBe(3);
    const remove = await db.query('delete from conformance_rows where id = 3');
    expect(remove.rowCount).toBe(1);
    const ddl = await db.query('create index conformance_rows_label on conformance_rows (label)');
    expect(ddl.rowCount).toBe(0);
  });

  it('parses jsonb and returns timestamptz as Date', async () => {
    const value = { a: [1, 'two', null], b: { c: true } };
    const { rows } = await db.query<{ j: unknown; t: unknown }>('select $1::jsonb as j, now() as t', [
      JSON.stringify(value),
    ]);
    expect(rows[0]?.j).toEqual(value);
    expect(rows[0]?.t).toBeInstanceOf(Date);
  });

  it('commits a transaction, and rolls it back when the function throws', async () => {
    const result = await db.transaction(async (tx) => {
      await tx.query('insert into conformance_rows (id, label) values (10, $1)', ['kept']);
      await tx.exec("insert into conformance_rows (id, label) values (11, 'kept'); select 1;");
      return 'done';
    });
    expect(result).toBe('done');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into conformance_rows (id, label) values (12, $1)', ['gone']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const { rows } = await db.query<{ id: number }>('select id from conformance_rows where id >= 10 order by id');
    expect(rows.map((r) => r.id)).toEqual([10, 11]);
  });

  it('wraps driver errors with SQLSTATE, the statement and the cause', async () => {
    const error = await db.query('select * from no_such_table').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    const e = error as DatabaseError;
    expect(e.code).toBe('42P01');
    expect(e.message).toMatch(/no_such_table.*42P01.*in: select \* from no_such_table/);
    expect(e.cause).toBeInstanceOf(Error);
  });

  it('refuses to change or delete stored events', async () => {
    await db.query("insert into scene_events (scene_id, seq, kind, payload) values ('guard', 1, 'k', '{}')");
    await expect(db.query("update scene_events set kind = 'x' where scene_id = 'guard'")).rejects.toThrow(
      /append-only/,
    );
    await expect(db.query("delete from scene_events where scene_id = 'guard'")).rejects.toThrow(/append-only/);
    expect((await db.query("select 1 from scene_events where scene_id = 'guard'")).rowCount).toBe(1);
  });

  it('names file, line and column when a migration fails, and applies none of it', async () => {
    const dir = path.join(scratch, 'bad');
    await writeMigrations(dir, {
      '0099_bad.sql': 'create table half_done (id int);\nselect 1;\n  create tabel oops ();\n',
    });
    const error = await migrate(db, await loadMigrations(pathToFileURL(`${dir}/`))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/migration 0099_bad\.sql:3:10 failed: syntax error at or near "tabel"/);
    expect((await db.query("select 1 from schema_migrations where id = '0099_bad'")).rowCount).toBe(0);
    await expect(db.query('select * from half_done')).rejects.toThrow(/half_done/);
  });

  it('refuses a database migrated by a build it does not know, or from an edited file', async () => {
    const edited = path.join(scratch, 'edited');
    await writeMigrations(edited, {});
    await writeFile(path.join(edited, '0001_init.sql'), '-- edited\n', { flag: 'a' });
    await expect(migrate(db, await loadMigrations(pathToFileURL(`${edited}/`)))).rejects.toThrow(
      /0001_init\.sql changed after it was applied/,
    );
    await expect(migrate(db, [])).rejects.toThrow(/has migration 0001_init, which this build does not have/);
  });

  if (target.kind === 'postgres') {
    it('lets two processes starting together migrate one schema without racing', async () => {
      const [a, b] = await Promise.all([target.open('race'), target.open('race')]);
      const { rows } = await a.query<{ n: number }>('select count(*) as n from schema_migrations');
      expect(rows[0]?.n).toBe(3);
      await Promise.all([a.close(), b.close()]);
    });
  }
});

describe('migration files', () => {
  it('are found next to the source and load in order', async () => {
    const migrations = await loadMigrations();
    expect(migrations.map((m) => m.file)).toEqual([
      '0001_init.sql',
      '0002_dialogue_memory.sql',
      '0003_revoked_tokens.sql',
    ]);
    expect(MIGRATIONS_DIR.pathname).toMatch(/\/server\/migrations\/$/);
  });

  it('must be named NNNN_name.sql with distinct numbers', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'stagecraft-names-'));
    try {
      await writeFile(path.join(dir, 'init.sql'), 'select 1;');
      await expect(loadMigrations(pathToFileURL(`${dir}/`))).rejects.toThrow(/init\.sql: migration files are named/);
      await rm(path.join(dir, 'init.sql'));
      await writeFile(path.join(dir, '0001_a.sql'), 'select 1;');
      await writeFile(path.join(dir, '0001_b.sql'), 'select 1;');
      await expect(loadMigrations(pathToFileURL(`${dir}/`))).rejects.toThrow(
        /0001_b\.sql: number 0001 is already used/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('parseInt8', () => {
  it('keeps every safe integer exact and refuses the rest', () => {
    expect(parseInt8('-9007199254740991')).toBe(-Number.MAX_SAFE_INTEGER);
    expect(parseInt8('0')).toBe(0);
    expect(() => parseInt8('9007199254740992')).toThrow(RangeError);
  });
});

/** Copies the real migrations into `dir` and adds `extra` files. */
async function writeMigrations(dir: string, extra: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const m of await loadMigrations()) await copyFile(new URL(m.file, MIGRATIONS_DIR), path.join(dir, m.file));
  for (const [name, sql] of Object.entries(extra)) await writeFile(path.join(dir, name), sql);
}
