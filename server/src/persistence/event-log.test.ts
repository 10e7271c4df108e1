import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Database } from './database.js';
import { EventLog, EventLogError } from './event-log.js';
import { FlakyDatabase } from './test-support/flaky-database.js';
import { describeEachDatabase } from './test-support/targets.js';

/** Long enough that only flush(), close() or a full batch writes. */
const MANUAL = { flushIntervalMs: 60_000 };

describeEachDatabase('EventLog', (target) => {
  let db: Database;
  const logs: EventLog[] = [];
  const newLog = (over: Database = db, options = {}) => {
    const log = new EventLog(over, { ...MANUAL, ...options });
    logs.push(log);
    return log;
  };
  const sceneId = () => `scene-${randomBytes(4).toString('hex')}`;
  const seqs = async (log: EventLog, id: string) => (await log.read(id)).map((e) => [e.seq, e.kind]);

  beforeAll(async () => {
    db = await target.open();
  });

  afterAll(async () => {
    for (const log of logs) await log.close().catch(() => {});
    await db?.close();
    await target.dispose();
  });

  it('numbers events per scene and reads them back in order, across scenes and batches', async () => {
    const log = newLog(db, { maxBatch: 7 });
    const [a, b] = [sceneId(), sceneId()];
    await log.open(a);
    await log.open(b);
    const kinds = Array.from({ length: 40 }, (_, i) => `k${i}`);
    const assigned = kinds.map((kind, i) => log.append(i % 3 === 0 ? b : a, kind, { i, nested: { list: [i] } }));
    await log.flush();
    expect(assigned.filter((_, i) => i % 3 !== 0)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
    expect(assigned.filter((_, i) => i % 3 === 0)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    const read = await log.read(a);
    expect(read.map((e) => e.kind)).toEqual(kinds.filter((_, i) => i % 3 !== 0));
    expect(read[0]).toEqual({
      sceneId: a,
      seq: 1,
      at: expect.any(Date),
      kind: 'k1',
      payload: { i: 1, nested: { list: [1] } },
    });
    expect(typeof read[0]?.seq).toBe('number');
    expect((await log.read(b)).map((e) => e.seq)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    expect(log.counters).toEqual({ appended: 40, flushed: 40, pending: 0, failedFlushes: 0, refused: 0 });
  });

  it('pages with afterSeq and limit, including events not yet written', async () => {
    const log = newLog();
    const id = sceneId();
    await log.open(id);
    for (let i = 1; i <= 5; i++) log.append(id, `e${i}`, i);
    await log.flush();
    log.append(id, 'e6', 6);
    log.append(id, 'e7', 7);
    expect((await log.read(id, { afterSeq: 3, limit: 3 })).map((e) => e.payload)).toEqual([4, 5, 6]);
    expect((await log.read(id, { afterSeq: 6 })).map((e) => e.kind)).toEqual(['e7']);
    await expect(log.read(id, { limit: 0 })).rejects.toThrow(/limit must be a whole number/);
  });

  it('continues seq from the stored log, keeping order for events appended while that loads', async () => {
    const id = sceneId();
    const first = newLog();
    await first.open(id);
    first.append(id, 'old1', null);
    first.append(id, 'old2', null);
    await first.close();

    const second = newLog();
    expect(second.append(id, 'new1', null)).toBe(0);
    const opening = second.open(id);
    expect(second.append(id, 'new2', null)).toBe(0);
    expect(await opening).toBe(4);
    expect(second.append(id, 'new3', null)).toBe(5);
    await second.flush();
    expect(await seqs(second, id)).toEqual([
      [1, 'old1'],
      [2, 'old2'],
      [3, 'new1'],
      [4, 'new2'],
      [5, 'new3'],
    ]);
  });

  it('continues seq after the database is closed and opened again', async () => {
    const id = sceneId();
    const before = new EventLog(db, MANUAL);
    await before.open(id);
    before.append(id, 'a', 1);
    before.append(id, 'b', 2);
    await before.close();
    await db.close();

    db = await target.open();
    const after = new EventLog(db, MANUAL);
    expect(await after.open(id)).toBe(2);
    expect(after.append(id, 'c', 3)).toBe(3);
    await after.close();
    expect(await seqs(after, id)).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
  });

  it('keeps events through a failed flush and writes each exactly once later', async () => {
    const flaky = new FlakyDatabase(db);
    const log = newLog(flaky);
    const id = sceneId();
    await log.open(id);
    log.append(id, 'one', 1);
    log.append(id, 'two', 2);
    flaky.failures = 1;
    await expect(log.flush()).rejects.toThrow(/could not write 2 events.*connection lost/);
    expect(log.counters).toMatchObject({ pending: 2, flushed: 0, failedFlushes: 1 });
    log.append(id, 'three', 3);
    await log.flush();
    expect(await seqs(log, id)).toEqual([
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
    ]);
    expect(log.counters).toMatchObject({ pending: 0, flushed: 3 });
  });

  it('writes nothing twice when a commit succeeded but its reply was lost', async () => {
    const flaky = new FlakyDatabase(db);
    const log = newLog(flaky);
    const id = sceneId();
    await log.open(id);
    log.append(id, 'one', { x: 1 });
    flaky.failures = 1;
    flaky.failAfterCommit = true;
    await expect(log.flush()).rejects.toThrow(/after commit/);
    log.append(id, 'two', { x: 2 });
    await log.flush();
    expect(await seqs(log, id)).toEqual([
      [1, 'one'],
      [2, 'two'],
    ]);
  });

  it('keeps events of a scene whose stored seq cannot be loaded yet, numbering them once it can', async () => {
    const flaky = new FlakyDatabase(db);
    const log = newLog(flaky);
    const id = sceneId();
    flaky.queryFailures = 2;
    expect(log.append(id, 'early', 1)).toBe(0);
    await expect(log.flush()).rejects.toThrow(/could not write 1 events.*query failed/);
    expect(log.append(id, 'later', 2)).toBe(0);
    await log.flush();
    expect(await seqs(log, id)).toEqual([
      [1, 'early'],
      [2, 'later'],
    ]);
    expect(log.append(id, 'numbered', 3)).toBe(3);
  });

  it('says how many events a failed close leaves unwritten, and retries on the next close', async () => {
    const flaky = new FlakyDatabase(db);
    const log = new EventLog(flaky, MANUAL);
    const id = sceneId();
    await log.open(id);
    log.append(id, 'precious', 1);
    flaky.failures = 1;
    await expect(log.close()).rejects.toThrow(/closed with 1 events unwritten: connection lost/);
    await log.close();
    expect(await seqs(log, id)).toEqual([[1, 'precious']]);
  });

  it('retries a failed close within its time, writing everything', async () => {
    const flaky = new FlakyDatabase(db);
    const log = new EventLog(flaky, MANUAL);
    const id = sceneId();
    await log.open(id);
    for (let i = 0; i < 3; i++) log.append(id, 'kept', i);
    flaky.failures = 3;
    await log.close({ withinMs: 20_000 });
    expect(log.counters.pending).toBe(0);
    expect((await log.read(id)).length).toBe(3);
  });

  it('gives up a close on a frozen database when its time is over, naming the events unwritten', async () => {
    const flaky = new FlakyDatabase(db);
    const log = new EventLog(flaky, MANUAL);
    const id = sceneId();
    await log.open(id);
    log.append(id, 'stuck', 1);
    log.append(id, 'stuck', 2);
    flaky.freeze();
    await expect(log.close({ withinMs: 300 })).rejects.toThrow(
      /event log closed with 2 events unwritten: the write did not finish within 300 ms/,
    );
    flaky.thaw();
    await log.close();
    expect((await log.read(id)).map((e) => e.seq)).toEqual([1, 2]);
  });

  it('holds at most maxPending events, with back-pressure from half of it, and loses none it took', async () => {
    const flaky = new FlakyDatabase(db);
    const log = newLog(flaky, { maxPending: 4 });
    const id = sceneId();
    await log.open(id);
    flaky.freeze();
    log.append(id, 'a', 1);
    expect(log.backPressure).toBe(false);
    log.append(id, 'b', 2);
    expect(log.backPressure).toBe(true);
    log.append(id, 'c', 3);
    log.append(id, 'd', 4);
    expect(() => log.append(id, 'e', 5)).toThrow(/the event log is full \(4 events wait for the database/);
    expect(log.counters).toMatchObject({ pending: 4, refused: 1 });
    const written = log.flush();
    flaky.thaw();
    await written;
    expect(log.backPressure).toBe(false);
    expect((await log.read(id)).map((e) => e.kind)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('retries failed background writes and reports each failure', async () => {
    const flaky = new FlakyDatabase(db);
    const reported: string[] = [];
    const log = newLog(flaky, { flushIntervalMs: 5, onFlushError: (e: EventLogError) => reported.push(e.message) });
    const id = sceneId();
    await log.open(id);
    flaky.failures = 2;
    log.append(id, 'kept', 1);
    await until(() => log.counters.pending === 0);
    expect(reported).toHaveLength(2);
    expect(await seqs(log, id)).toEqual([[1, 'kept']]);
  });

  it('starts a write as soon as a batch is full', async () => {
    const log = newLog(db, { maxBatch: 3 });
    const id = sceneId();
    await log.open(id);
    for (let i = 0; i < 3; i++) log.append(id, 'tick', i);
    await until(() => log.counters.pending === 0);
    expect((await log.read(id)).length).toBe(3);
  });

  it('refuses a payload it cannot store, naming scene and kind, and loses nothing buffered', async () => {
    const log = newLog();
    const id = sceneId();
    await log.open(id);
    log.append(id, 'before', 1);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => log.append(id, 'big', { n: 10n })).toThrow(
      new RegExp(`cannot record "big" for scene "${id}": payload is not JSON-serialisable.*BigInt`),
    );
    expect(() => log.append(id, 'loop', cycle)).toThrow(/"loop" for scene .*circular/i);
    expect(() => log.append(id, 'nul', { text: 'a\u0000b' })).toThrow(/"nul".*NUL character/);
    expect(() => log.append(id, 'fn', () => 1)).toThrow(/"fn".*no JSON form/);
    expect(() => log.append(id, '', {})).toThrow(EventLogError);
    expect(() => log.append('', 'k', {})).toThrow(/scene id must not be empty/);
    expect(log.append(id, 'after', 2)).toBe(2);
    await log.flush();
    expect(await seqs(log, id)).toEqual([
      [1, 'before'],
      [2, 'after'],
    ]);
    expect(log.counters).toMatchObject({ appended: 2, flushed: 2 });
  });

  it('fails loudly when another writer stored a different event under the same seq', async () => {
    const id = sceneId();
    const [mine, theirs] = [newLog(), newLog()];
    await mine.open(id);
    await theirs.open(id);
    theirs.append(id, 'theirs', 1);
    await theirs.flush();
    mine.append(id, 'mine', 1);
    await expect(mine.flush()).rejects.toThrow(/already has a different event stored as seq 1/);
    expect(mine.counters.pending).toBe(1);
    expect(await seqs(theirs, id)).toEqual([[1, 'theirs']]);
  });

  it('writes what is buffered on close and refuses appends after it', async () => {
    const log = new EventLog(db, MANUAL);
    const id = sceneId();
    log.append(id, 'last words', 'bye');
    await log.close();
    expect(() => log.append(id, 'late', null)).toThrow(/the event log is closed/);
    expect(await seqs(log, id)).toEqual([[1, 'last words']]);
  });
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
