import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe } from '@jest/globals';
import type { Database } from '../database.js';
import { openDatabase } from '../open-database.js';
import { PgDatabase } from '../pg-database.js';

/** A place to keep databases for one test file: a temp folder for PGlite, throwaway schemas on PostgreSQL. */
export interface StoreTarget {
  readonly kind: Database['kind'];
  /** Opens and migrates the store called `store`, creating it on first use; reopening one finds its data. */
  open(store?: string): Promise<Database>;
  /** Removes every store this target created. */
  dispose(): Promise<void>;
}

/**
 * Runs `body` once against PGlite and once against PostgreSQL. Without DATABASE_URL the PostgreSQL
 * block is registered as skipped and the reason is printed.
 */
export function describeEachDatabase(title: string, body: (target: StoreTarget) => void): void {
  describe(`${title} (PGlite)`, () => body(pgliteTarget()));
  const url = process.env.DATABASE_URL;
  if (url) {
    describe(`${title} (PostgreSQL)`, () => body(postgresTarget(url)));
  } else {
    console.warn(`${title}: PostgreSQL suite skipped: DATABASE_URL is not set`);
    describe.skip(`${title} (PostgreSQL: skipped, DATABASE_URL is not set)`, () => body(postgresTarget('')));
  }
}

function pgliteTarget(): StoreTarget {
  let root: Promise<string> | undefined;
  return {
    kind: 'pglite',
    async open(store = 'main') {
      root ??= mkdtemp(path.join(tmpdir(), 'stagecraft-pglite-'));
      return openDatabase({ dataDir: path.join(await root, store) });
    },
    async dispose() {
      if (root) await rm(await root, { recursive: true, force: true });
    },
  };
}

function postgresTarget(url: string): StoreTarget {
  const base = `stagecraft_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const created = new Map<string, Promise<void>>();
  let admin: Promise<PgDatabase> | undefined;
  const connectAdmin = () => {
    admin ??= PgDatabase.connect({ url, maxConnections: 2 });
    return admin;
  };
  return {
    kind: 'postgres',
    async open(store = 'main') {
      const schema = `${base}_${store}`;
      let ready = created.get(schema);
      if (!ready) {
        ready = connectAdmin().then((db) => db.exec(`create schema "${schema}"`));
        created.set(schema, ready);
      }
      await ready;
      return openDatabase({ url, schema });
    },
    async dispose() {
      if (!admin) return;
      const db = await admin;
      for (const schema of created.keys()) await db.exec(`drop schema if exists "${schema}" cascade`);
      await db.close();
    },
  };
}
