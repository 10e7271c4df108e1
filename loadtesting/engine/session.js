'use strict';
const { SceneConnection, EngineError } = require('./connection');
const { HISTOGRAM, COUNTER, ZEROED, byKind } = require('./metrics');

/** Chunks before this sequence number are sent in one burst (the server's lead); jitter starts after. */
const JITTER_FROM_SEQ = 10;

/**
 * One virtual user's game client in one scene: it sends requests with ids, matches every answer
 * to its request, follows the performances it started, and emits what it measured to artillery.
 */
class Session {
  /** `options`: { target, join (sceneId, role, name, audio, media), token, timeoutMs, decodeMedia }. */
  constructor(wire, ee, options) {
    this.wire = wire;
    this.ee = ee;
    this.options = options;
    this.conn = undefined;
    this.cast = [];
    this.npcCount = 0;
    this.nextId = 1;
    /** requestId → { kind, at, stopAfterMs } in the order sent (the sweep relies on it). */
    this.pending = new Map();
    /** performanceId → what this client follows of a line it started. */
    this.performances = new Map();
    this.dropAt = 0;
    this.onDrop = () => {};
    this.sweeper = setInterval(() => this.sweep(), 500);
    for (const name of ZEROED) this.count(name, 0);
  }

  get online() {
    return this.conn?.open === true;
  }

  histogram(name, value) {
    this.ee.emit('histogram', name, value);
  }

  count(name, n = 1) {
    this.ee.emit('counter', name, n);
  }

  /** Joins the scene and waits for its snapshot; the cast is the snapshot's. */
  async join() {
    const started = performance.now();
    const { target, join, token, timeoutMs } = this.options;
    const conn = await SceneConnection.open(target, join, { token, timeoutMs });
    this.conn = conn;
    const snapshot = new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new EngineError('stagecraft.no_snapshot', `no snapshot of ${join.sceneId} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.snapshotWaiter = (s) => {
        clearTimeout(timer);
        resolve(s);
      };
    });
    conn.onFrame = (frame, at) => this.onFrame(frame, at);
    conn.closed.then((c) => this.onClosed(conn, c));
    const s = await snapshot;
    this.cast = s.cast.map((m) => m.id);
    this.histogram(HISTOGRAM.join, performance.now() - started);
    return s;
  }

  /** Sends one ClientMessage; with `kind`, as a request whose answer is waited for and timed. */
  send(body, kind, extra) {
    if (!this.online) {
      this.count(COUNTER.skipped);
      return '';
    }
    const requestId = kind ? `${kind[0]}${this.nextId++}` : '';
    if (kind) this.pending.set(requestId, { kind, at: performance.now(), ...extra });
    this.conn.send(this.wire.clientFrame({ requestId, body }));
    this.count(COUNTER.sent);
    return requestId;
  }

  propose(value) {
    return this.send({ case: 'proposal', value }, 'proposal');
  }

  report(actors) {
    return this.send({ case: 'worldReport', value: { actors } }, 'report');
  }

  /** An NPC says `text`; with `stopAfterMs`, a STOP follows that long after its first audio. */
  say(npcId, text, stopAfterMs) {
    return this.send({ case: 'say', value: { npcId, text } }, 'say', { stopAfterMs });
  }

  playerLine(npcId, text) {
    return this.send({ case: 'playerLine', value: { npcId, text } }, 'line');
  }

  stop(performanceId) {
    const p = this.performances.get(performanceId);
    if (!p) return '';
    p.stopAt = performance.now();
    const { ControlAction } = this.wire.protocol;
    return this.send({ case: 'control', value: { action: ControlAction.STOP, performanceId } }, 'control');
  }

  onFrame(frame, at) {
    const r = this.wire.readServer(frame, this.options.decodeMedia);
    if (!r) return;
    this.count(COUNTER.received);
    this.count(COUNTER.receivedBytes, r.bytes);
    switch (r.kind) {
      case 'verdict':
        this.onVerdict(r, at);
        return;
      case 'ack':
        this.answered(r.requestId, at, HISTOGRAM.reportAck, 'report');
        return;
      case 'error':
        this.onError(r.msg.body.value, r.requestId);
        return;
      case 'performanceStart':
        this.onStart(r.msg.body.value);
        return;
      case 'audio':
        this.onAudio(r.audio ?? r.msg.body.value, at);
        return;
      case 'performanceEnd':
        this.onEnd(r.msg.body.value, at);
        return;
      case 'mediaDropped':
        // This client fell behind in reading (the generator's CPU or the network): the rest of the
        // line's chunks will not come, its end will.
        this.count(COUNTER.mediaDropped);
        return;
      case 'snapshot':
        if (this.snapshotWaiter) this.snapshotWaiter(r.msg.body.value);
        this.snapshotWaiter = undefined;
        return;
    }
  }

  /** Settles a request; emits its latency under `histogram` when it was of `kind`. */
  answered(requestId, at, histogram, kind) {
    const p = this.pending.get(requestId);
    if (!p) return undefined;
    this.pending.delete(requestId);
    if (p.kind === kind) this.histogram(histogram, at - p.at);
    return p;
  }

  onVerdict(r, at) {
    if (!this.answered(r.requestId, at, HISTOGRAM.verdict, 'proposal')) return;
    this.count(byKind('stagecraft.verdicts', this.wire.decisionName(r.msg.body.value.decision)));
    if (this.dropAt) {
      this.histogram(HISTOGRAM.recovery, at - this.dropAt);
      this.dropAt = 0;
    }
  }

  onError(error, envelopeId) {
    const name = this.wire.errorName(error.code);
    const id = error.requestId || envelopeId;
    const kind = this.pending.get(id)?.kind;
    this.pending.delete(id);
    if (kind === 'control' && name === 'UNKNOWN_PERFORMANCE') {
      // The line ended while its STOP was on the way: the server did right.
      this.count(COUNTER.stopsTooLate);
      return;
    }
    this.count(COUNTER.errors);
    this.count(byKind(COUNTER.errors, name));
    if (this.options.logErrors) console.error(`stagecraft error ${name} (${error.field}): ${error.message}`);
  }

  onStart(start) {
    const p = this.pending.get(start.requestId);
    if (!p || (p.kind !== 'say' && p.kind !== 'line')) return;
    this.pending.delete(start.requestId);
    this.performances.set(start.performanceId, {
      kind: p.kind,
      sentAt: p.at,
      stopAfterMs: p.stopAfterMs,
      lastAt: 0,
      lastMs: 0,
      stopAt: 0,
    });
  }

  onAudio(chunk, at) {
    this.count(COUNTER.audioChunks);
    const p = this.performances.get(chunk.performanceId);
    if (!p) return;
    if (chunk.seq === 0) {
      this.histogram(p.kind === 'say' ? HISTOGRAM.sayFirstAudio : HISTOGRAM.replyFirstAudio, at - p.sentAt);
      if (p.stopAfterMs) setTimeout(() => this.stop(chunk.performanceId), p.stopAfterMs);
    } else if (chunk.seq > JITTER_FROM_SEQ && !p.stopAt) {
      this.histogram(HISTOGRAM.chunkJitter, Math.abs(at - p.lastAt - p.lastMs));
    }
    p.lastAt = at;
    p.lastMs = chunk.durationMs;
  }

  onEnd(end, at) {
    const p = this.performances.get(end.performanceId);
    if (!p) return;
    this.performances.delete(end.performanceId);
    const reason = this.wire.endReasonName(end.reason);
    this.count(byKind(COUNTER.performances, reason));
    if (p.stopAt && reason === 'interrupted') this.histogram(HISTOGRAM.stop, at - p.stopAt);
  }

  /** Requests older than the timeout are counted and forgotten (the map is in the order sent). */
  sweep() {
    const oldest = performance.now() - this.options.timeoutMs;
    for (const [id, p] of this.pending) {
      if (p.at > oldest) break;
      this.pending.delete(id);
      this.count(COUNTER.timeouts);
      this.count(byKind(COUNTER.timeouts, p.kind));
    }
  }

  onClosed(conn, { code }) {
    if (conn !== this.conn || conn.left) return;
    this.count(COUNTER.disconnects);
    this.count(byKind(COUNTER.disconnects, code));
    this.dropAt ||= performance.now();
    this.pending.clear();
    this.performances.clear();
    this.onDrop(code);
  }

  /** Joins again after a lost connection, retrying with back-off until `deadline` (performance.now ms). */
  async rejoin(deadline) {
    let wait = 250;
    while (performance.now() < deadline) {
      try {
        await this.join();
        this.count(COUNTER.rejoins);
        return true;
      } catch {
        await new Promise((r) => setTimeout(r, Math.min(wait, Math.max(0, deadline - performance.now()))));
        wait = Math.min(wait * 2, 2000);
      }
    }
    return false;
  }

  async leave() {
    clearInterval(this.sweeper);
    this.pending.clear();
    if (this.npcCount) this.count(COUNTER.npcsLeft, this.npcCount);
    this.npcCount = 0;
    if (this.conn) await this.conn.leave();
  }
}

module.exports = { Session };
