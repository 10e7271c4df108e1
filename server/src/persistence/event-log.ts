import type { Database } from './database.js';
import { EventLogError } from './event-log-error.js';
import { type BufferedEvent, insertEvents, MAX_ROWS_PER_INSERT } from './event-rows.js';
import { toJsonText, unstorableTextReason } from './json-text.js';

export { EventLogError };

/** One stored event of a scene's log. */
export interface SceneEvent {
  sceneId: string;
  /** 1, 2, 3… per scene, in the order the events were appended. */
  seq: number;
  /** When the event was appended. */
  at: Date;
  kind: string;
  payload: unknown;
}

export interface EventLogOptions {
  /** How long an appended event may wait before a write starts, ms. Default 50. */
  flushIntervalMs?: number;
  /** A write starts at once when this many events are waiting; also the rows per INSERT. Default 500. */
  maxBatch?: number;
  /** Told about each failed background write; the events stay buffered and are retried with backoff. */
  onFlushError?: (error: EventLogError, pending: number) => void;
  /**
   * Most events that may wait for the database (default 100,000). From half of it `backPressure`
   * is on (the server refuses client writes); at it, `append` throws instead of growing.
   */
  maxPending?: number;
}

/** Counts since start, for metrics. `pending` is appended but not yet written. */
export interface EventLogCounters {
  appended: number;
  flushed: number;
  pending: number;
  failedFlushes: number;
  /** Refused because the buffer was full (each one logged by the caller). */
  refused: number;
}

interface SceneSeq {
  /** Last seq handed out; undefined until the stored log's max(seq) has loaded. */
  last: number | undefined;
  /** Events appended before `last` was known, in order; numbered when it loads. */
  waiting: Omit<BufferedEvent, 'seq'>[];
  loading: Promise<void> | undefined;
}

const MAX_RETRY_DELAY_MS = 5_000;

/**
 * The append-only per-scene event log. `append` is synchronous and buffers in memory; buffered
 * events are written in order, in batches, by a timer or `flush()`. A failed write keeps every
 * event buffered, in order, and is retried, so nothing appended is lost while the process lives.
 */
export class EventLog {
  private readonly scenes = new Map<string, SceneSeq>();
  private readonly buffer: BufferedEvent[] = [];
  private readonly intervalMs: number;
  private readonly maxBatch: number;
  private readonly onFlushError: EventLogOptions['onFlushError'];
  readonly maxPending: number;
  private waitingCount = 0;
  private refusedCount = 0;
  private appendedCount = 0;
  private flushedCount = 0;
  private failedCount = 0;
  private failuresInARow = 0;
  private tail: Promise<void> = Promise.resolve();
  private timer: { handle: NodeJS.Timeout; delayMs: number } | undefined;
  private background: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly db: Database,
    options: EventLogOptions = {},
  ) {
    this.intervalMs = options.flushIntervalMs ?? 50;
    this.maxBatch = options.maxBatch ?? 500;
    this.onFlushError = options.onFlushError;
    this.maxPending = options.maxPending ?? 100_000;
    if (!(Number.isInteger(this.maxPending) && this.maxPending >= 2)) {
      throw new RangeError(`maxPending must be a whole number ≥ 2, not ${this.maxPending}`);
    }
    if (!(Number.isFinite(this.intervalMs) && this.intervalMs >= 0)) {
      throw new RangeError(`flushIntervalMs must be a number of ms ≥ 0, not ${this.intervalMs}`);
    }
    if (!(Number.isInteger(this.maxBatch) && this.maxBatch >= 1)) {
      throw new RangeError(`maxBatch must be a whole number ≥ 1, not ${this.maxBatch}`);
    }
  }

  /**
   * Loads the scene's last stored seq (once per scene; concurrent calls share the load) and
   * returns the last seq handed out. After it resolves, `append` returns each event's seq.
   */
  async open(sceneId: string): Promise<number> {
    checkText(sceneId, 'scene id', `cannot open scene "${String(sceneId)}"`);
    const scene = this.sceneFor(sceneId);
    await this.load(sceneId, scene);
    return scene.last ?? 0;
  }

  /**
   * Buffers one event and returns its seq. For a scene not yet `open`ed the stored log's last
   * seq is loaded first: the event is kept, numbered in order once that load finishes, and 0
   * is returned. Throws EventLogError, naming the scene and kind, for input that cannot be
   * stored; nothing already buffered is affected.
   */
  append(sceneId: string, kind: string, payload: unknown): number {
    const what = `cannot record "${String(kind)}" for scene "${String(sceneId)}"`;
    if (this.closed) throw new EventLogError(`${what}: the event log is closed`);
    checkText(sceneId, 'scene id', what);
    checkText(kind, 'kind', what);
    if (this.pending >= this.maxPending) {
      this.refusedCount++;
      throw new EventLogError(
        `${what}: the event log is full (${this.pending} events wait for the database, the most it holds)`,
      );
    }
    let json: string;
    try {
      json = toJsonText(payload);
    } catch (e) {
      throw new EventLogError(`${what}: payload ${(e as Error).message}`, { cause: e });
    }
    const scene = this.sceneFor(sceneId);
    const at = new Date();
    this.appendedCount++;
    if (scene.last === undefined) {
      scene.waiting.push({ sceneId, at, kind, json });
      this.waitingCount++;
      // A failed load is retried, and reported, by the next flush.
      this.load(sceneId, scene).catch(() => {});
      this.schedule(false);
      return 0;
    }
    const seq = ++scene.last;
    this.buffer.push({ sceneId, seq, at, kind, json });
    this.schedule(this.buffer.length >= this.maxBatch);
    return seq;
  }

  /**
   * Writes every event appended before the call, in one transaction. On failure the events
   * stay buffered, in order, for the next flush, and the returned promise rejects.
   */
  flush(): Promise<void> {
    const run = this.tail
      .catch(() => {})
      .then(() => this.drain())
      .catch((e: unknown) => {
        this.failedCount++;
        this.failuresInARow++;
        const reason = e instanceof Error ? e.message : String(e);
        throw new EventLogError(`could not write ${this.pending} events to the event log; kept for retry: ${reason}`, {
          cause: e,
        });
      })
      .finally(() => this.schedule(false));
    this.tail = run;
    return run;
  }

  /** A scene's events after `afterSeq` in seq order: those stored, then those buffered and numbered. */
  async read(sceneId: string, options: { afterSeq?: number; limit?: number } = {}): Promise<SceneEvent[]> {
    const { afterSeq = 0, limit } = options;
    checkText(sceneId, 'scene id', `cannot read scene "${String(sceneId)}"`);
    if (!(Number.isSafeInteger(afterSeq) && afterSeq >= 0)) {
      throw new RangeError(`afterSeq must be a whole number ≥ 0, not ${afterSeq}`);
    }
    if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 1)) {
      throw new RangeError(`limit must be a whole number ≥ 1, not ${limit}`);
    }
    const params: unknown[] = [sceneId, afterSeq];
    if (limit !== undefined) params.push(limit);
    const { rows } = await this.db.query<{ seq: number; at: Date; kind: string; payload: unknown }>(
      `select seq, at, kind, payload from scene_events where scene_id = $1 and seq > $2 order by seq${
        limit === undefined ? '' : ' limit $3'
      }`,
      params,
    );
    const events: SceneEvent[] = rows.map((row) => ({ sceneId, ...row }));
    // Rows a concurrent flush has committed are in both lists until it finishes.
    const stored = new Set(events.map((e) => e.seq));
    for (const b of this.buffer) {
      if (b.sceneId !== sceneId || b.seq <= afterSeq || stored.has(b.seq)) continue;
      events.push({ sceneId, seq: b.seq, at: b.at, kind: b.kind, payload: JSON.parse(b.json) });
    }
    events.sort((a, b) => a.seq - b.seq);
    return limit === undefined ? events : events.slice(0, limit);
  }

  /** True while so many events wait for the database that new client writes should be refused. */
  get backPressure(): boolean {
    return this.pending >= this.maxPending / 2;
  }

  /**
   * Stops accepting events and the timer, then writes what is buffered, retrying with backoff
   * for up to `withinMs` (default: one try). If it cannot, it rejects naming how many events are
   * unwritten; calling close() again tries again.
   */
  async close(options: { withinMs?: number } = {}): Promise<void> {
    this.closed = true;
    this.clearTimer();
    const until = options.withinMs === undefined ? undefined : Date.now() + options.withinMs;
    let delayMs = 50;
    for (;;) {
      try {
        await bounded(
          (this.background ?? Promise.resolve()).then(() => this.flush()),
          until,
          `the write did not finish within ${options.withinMs} ms`,
        );
        return;
      } catch (e) {
        if (until === undefined || until - Date.now() <= delayMs) {
          const inner = e instanceof EventLogError && e.cause instanceof Error ? e.cause : e;
          const reason = inner instanceof Error ? inner.message : String(inner);
          throw new EventLogError(`event log closed with ${this.pending} events unwritten: ${reason}`, { cause: e });
        }
        await new Promise((r) => setTimeout(r, delayMs));
        delayMs = Math.min(delayMs * 2, 1000);
      }
    }
  }

  get counters(): EventLogCounters {
    return {
      appended: this.appendedCount,
      flushed: this.flushedCount,
      pending: this.pending,
      failedFlushes: this.failedCount,
      refused: this.refusedCount,
    };
  }

  private get pending(): number {
    return this.buffer.length + this.waitingCount;
  }

  private sceneFor(sceneId: string): SceneSeq {
    let scene = this.scenes.get(sceneId);
    if (!scene) {
      scene = { last: undefined, waiting: [], loading: undefined };
      this.scenes.set(sceneId, scene);
    }
    return scene;
  }

  private load(sceneId: string, scene: SceneSeq): Promise<void> {
    if (scene.last !== undefined) return Promise.resolve();
    scene.loading ??= this.db
      .query<{ last: number }>('select coalesce(max(seq), 0) as last from scene_events where scene_id = $1', [sceneId])
      .then(({ rows }) => {
        let last = rows[0]?.last ?? 0;
        for (const event of scene.waiting) this.buffer.push({ ...event, seq: ++last });
        this.waitingCount -= scene.waiting.length;
        scene.waiting = [];
        scene.last = last;
      })
      .finally(() => {
        scene.loading = undefined;
      });
    return scene.loading;
  }

  private async drain(): Promise<void> {
    const loads = [...this.scenes].filter(([, s]) => s.waiting.length > 0).map(([id, s]) => this.load(id, s));
    const failedLoad = (await Promise.allSettled(loads)).find((r) => r.status === 'rejected');
    const batch = this.buffer.slice();
    if (batch.length > 0) {
      await this.db.transaction(async (tx) => {
        const rowsPerInsert = Math.min(this.maxBatch, MAX_ROWS_PER_INSERT);
        for (let i = 0; i < batch.length; i += rowsPerInsert) await insertEvents(tx, batch.slice(i, i + rowsPerInsert));
      });
      // Only drain removes from the buffer and drains run one at a time, so the batch is still its head.
      this.buffer.splice(0, batch.length);
      this.flushedCount += batch.length;
    }
    if (failedLoad) throw failedLoad.reason;
    this.failuresInARow = 0;
  }

  private schedule(urgent: boolean): void {
    if (this.closed || this.background) return;
    if (urgent && this.failuresInARow === 0 && this.timer && this.timer.delayMs > 0) this.clearTimer();
    if (this.timer || this.pending === 0) return;
    const delayMs =
      this.failuresInARow > 0
        ? Math.min(
            Math.max(this.intervalMs, 1) * 2 ** this.failuresInARow,
            Math.max(this.intervalMs, MAX_RETRY_DELAY_MS),
          )
        : this.buffer.length >= this.maxBatch
          ? 0
          : this.intervalMs;
    const handle = setTimeout(() => {
      this.timer = undefined;
      this.background = this.flush()
        .catch((e: EventLogError) => {
          try {
            this.onFlushError?.(e, this.pending);
          } catch {
            // A throwing error handler must not stop the retries.
          }
        })
        .finally(() => {
          this.background = undefined;
          this.schedule(false);
        });
    }, delayMs);
    this.timer = { handle, delayMs };
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer.handle);
    this.timer = undefined;
  }
}

/** `work`, or a rejection with `why` once `until` (a Date.now() time, if any) has passed. */
async function bounded(work: Promise<unknown>, until: number | undefined, why: string): Promise<void> {
  if (until === undefined) {
    await work;
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => reject(new Error(why)), Math.max(0, until - Date.now()));
  });
  try {
    await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

function checkText(value: unknown, field: string, what: string): void {
  const reason = unstorableTextReason(value);
  if (reason) throw new EventLogError(`${what}: ${field} ${reason}`);
}
