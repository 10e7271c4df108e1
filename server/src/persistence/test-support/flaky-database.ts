import type { Database, QueryResult, Transaction } from '../database.js';

/**
 * Test double for tests about the event log: passes everything to a real database, except that
 * the next `failures` transactions fail, either before they run or after they commit (as if
 * the reply to COMMIT was lost), and the next `queryFailures` plain queries fail; or every
 * transaction waits while it is frozen.
 */
export class FlakyDatabase implements Database {
  failures = 0;
  failAfterCommit = false;
  queryFailures = 0;
  private frozen: { thawed: Promise<void>; thaw: () => void } | undefined;

  constructor(private readonly inner: Database) {}

  /** Until `thaw`, every transaction waits, as on a database server that was stopped. */
  freeze(): void {
    let thaw = () => {};
    const thawed = new Promise<void>((r) => {
      thaw = r;
    });
    this.frozen = { thawed, thaw };
  }

  thaw(): void {
    this.frozen?.thaw();
    this.frozen = undefined;
  }

  get kind(): Database['kind'] {
    return this.inner.kind;
  }

  async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    if (this.queryFailures > 0) {
      this.queryFailures--;
      throw new Error('query failed (test double)');
    }
    return this.inner.query<T>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.inner.exec(sql);
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    if (this.frozen) await this.frozen.thawed;
    if (this.failures === 0) return this.inner.transaction(fn);
    this.failures--;
    if (!this.failAfterCommit) throw new Error('connection lost (test double)');
    await this.inner.transaction(fn);
    throw new Error('connection lost after commit (test double)');
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
