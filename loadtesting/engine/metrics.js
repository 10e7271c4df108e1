'use strict';
// Every metric the engine emits, by name. Histograms are in ms; counters count events. Artillery
// reports each histogram as min/max/mean/median/p95/p99 under its name (`stagecraft.verdict_ms.p95`
// in an `ensure` threshold).

const HISTOGRAM = Object.freeze({
  /** matchmaking request → snapshot received (the client is in the scene). */
  join: 'stagecraft.join_ms',
  /** proposal sent → its verdict received: the constraint engine's round trip at the game. */
  verdict: 'stagecraft.verdict_ms',
  /** world report sent → its ack received. */
  reportAck: 'stagecraft.report_ack_ms',
  /** Say sent → the first audio chunk of its performance received. */
  sayFirstAudio: 'stagecraft.say_first_audio_ms',
  /** player line sent → the first audio chunk of the NPC's reply received. */
  replyFirstAudio: 'stagecraft.reply_first_audio_ms',
  /** |interval between two audio chunks − the earlier chunk's length|, after the first ten chunks. */
  chunkJitter: 'stagecraft.chunk_jitter_ms',
  /** STOP sent → the performance's INTERRUPTED end received. */
  stop: 'stagecraft.stop_ms',
  /** connection lost → first verdict after joining again. */
  recovery: 'stagecraft.recovery_ms',
});

const COUNTER = Object.freeze({
  /** NPCs this client drives, added when it joins; `npcsLeft` when it leaves. */
  npcsJoined: 'stagecraft.npcs_joined',
  npcsLeft: 'stagecraft.npcs_left',
  sent: 'stagecraft.messages_sent',
  received: 'stagecraft.messages_received',
  receivedBytes: 'stagecraft.bytes_received',
  /** Every Error the server sent; `stagecraft.errors.<CODE>` by code as well. */
  errors: 'stagecraft.errors',
  /** Requests with no answer within the timeout; `stagecraft.timeouts.<kind>` by request kind. */
  timeouts: 'stagecraft.timeouts',
  /** Connections lost without leaving; `stagecraft.disconnects.<close code>` by code. */
  disconnects: 'stagecraft.disconnects',
  /** Joins made again after a lost connection. */
  rejoins: 'stagecraft.rejoins',
  /** Requests not sent while the client was out of its scene. */
  skipped: 'stagecraft.skipped_offline',
  /** STOPs that reached the server after their line had ended (UNKNOWN_PERFORMANCE, not an error). */
  stopsTooLate: 'stagecraft.stops_too_late',
  performances: 'stagecraft.performances',
  /** audio chunks received: of this client's own lines and of everything else the scene said. */
  audioChunks: 'stagecraft.audio_chunks',
  /** Lines whose media the server stopped sending this client because it read too slowly (MediaDropped). */
  mediaDropped: 'stagecraft.media_dropped',
});

/** Counters an `ensure` condition reads; emitted as 0 at the start so that "none" reads as 0, not missing. */
const ZEROED = [COUNTER.errors, COUNTER.timeouts, COUNTER.disconnects, COUNTER.skipped];

const byKind = (base, kind) => `${base}.${kind}`;

module.exports = { HISTOGRAM, COUNTER, ZEROED, byKind };
