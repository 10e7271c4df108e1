import { type Client, getMessageBytes, Protocol } from '@colyseus/core';
import {
  type AudioFormat,
  create,
  encodeServerMessage,
  MediaDroppedSchema,
  MessageType,
  type ServerMessage,
} from '@stagecraft/protocol';
import type { Counter } from '../telemetry/metrics.js';

type Body = ServerMessage['body'];

/** Which NPCs' media a client receives: all of them, or those listed (none when empty). */
export type MediaSubscription = { all: true } | { all: false; npcIds: ReadonlySet<string> };

/** One media message of a performance, in the form each kind of client receives. */
export interface MediaMessage {
  npcId: string;
  performanceId: string;
  /** For clients that asked for PCM16; absent when they get nothing (none, today). */
  pcm16?: Body;
  /** For clients that asked for Opus; the same object as `pcm16` when it carries no audio. */
  opus?: Body;
  /** The performance's end: sent even to a client whose media for it was dropped. */
  end?: boolean;
}

export interface FanoutLimits {
  /** Bytes waiting for a client past which its media for the current line is dropped. */
  dropBytes: number;
  /** Bytes waiting for a client past which it is closed. */
  closeBytes: number;
}

export interface MediaMetrics {
  /** Messages encoded and framed, by audio format: once each, whatever the client count. */
  encoded: Counter<'audio'>;
  /** Bytes handed to clients' sockets (one copy per client), by message kind. */
  sentBytes: Counter<'kind'>;
  /** Performances whose media was dropped for one slow client. */
  dropped: Counter;
}

interface Seat {
  audio: AudioFormat;
  subscription: MediaSubscription;
  /** Performances whose media stopped for this client (it read too slowly). */
  dropped: Set<string>;
  closing: boolean;
}

/**
 * Sends a scene's messages to its clients: each message is encoded and framed once, and the same
 * bytes are written to every client that should get it. Media goes only to clients subscribed to
 * the NPC, in the audio format each chose. A client that reads too slowly loses the current
 * line's media (with a MediaDropped notice) and, far enough behind, its connection; the others
 * are not held up.
 */
export class MediaFanout {
  private readonly seats = new Map<string, Seat>();
  /** Sockets held corked until the end of this turn of the event loop. */
  private readonly corked = new Set<Corkable>();

  constructor(
    private readonly clients: () => Iterable<Client>,
    private readonly limits: FanoutLimits,
    private readonly metrics: MediaMetrics,
    private readonly tooSlow: (client: Client, bufferedBytes: number) => void,
  ) {}

  join(sessionId: string, audio: AudioFormat, subscription: MediaSubscription): void {
    this.seats.set(sessionId, { audio, subscription, dropped: new Set(), closing: false });
  }

  leave(sessionId: string): void {
    this.seats.delete(sessionId);
  }

  subscribe(sessionId: string, subscription: MediaSubscription): void {
    const seat = this.seats.get(sessionId);
    if (seat) seat.subscription = subscription;
  }

  /** Whether any client wants `npcId`'s media in `audio`. */
  wants(npcId: string, audio: AudioFormat): boolean {
    for (const seat of this.seats.values()) if (seat.audio === audio && subscribed(seat, npcId)) return true;
    return false;
  }

  /** A message for every client (deltas, transcripts, controls). */
  broadcast(body: Body): void {
    const bytes = this.frame(body, 'none');
    for (const client of this.clients()) {
      const seat = this.seats.get(client.sessionId);
      if (seat && this.keeps(client, seat)) this.write(client, bytes, body);
    }
  }

  media(m: MediaMessage): void {
    const framed = new Map<Body, Uint8Array>();
    const frameOf = (body: Body, audio: AudioFormat) => {
      let bytes = framed.get(body);
      if (!bytes) {
        bytes = this.frame(body, audio);
        framed.set(body, bytes);
      }
      return bytes;
    };
    for (const client of this.clients()) {
      const seat = this.seats.get(client.sessionId);
      if (!seat || !subscribed(seat, m.npcId) || !this.keeps(client, seat)) continue;
      const body = seat.audio === 'opus' ? m.opus : m.pcm16;
      if (seat.dropped.has(m.performanceId)) {
        if (!m.end) continue;
        seat.dropped.delete(m.performanceId);
      } else if (!m.end && bufferedOf(client) > this.limits.dropBytes) {
        this.drop(client, seat, m);
        continue;
      }
      if (body) this.write(client, frameOf(body, seat.audio), body);
    }
  }

  private uncorkAll(): void {
    for (const socket of this.corked) socket.uncork();
    this.corked.clear();
  }

  /** False once a client is so far behind that it is being closed. */
  private keeps(client: Client, seat: Seat): boolean {
    if (seat.closing) return false;
    const buffered = bufferedOf(client);
    if (buffered <= this.limits.closeBytes) return true;
    seat.closing = true;
    this.tooSlow(client, buffered);
    return false;
  }

  private drop(client: Client, seat: Seat, m: MediaMessage): void {
    seat.dropped.add(m.performanceId);
    this.metrics.dropped.inc();
    const notice = create(MediaDroppedSchema, {
      performanceId: m.performanceId,
      npcId: m.npcId,
      bufferedBytes: Math.min(bufferedOf(client), 0xffffffff),
    });
    const body: Body = { case: 'mediaDropped', value: notice };
    this.write(client, this.frame(body, 'none'), body);
  }

  private frame(body: Body, audio: AudioFormat | 'none'): Uint8Array {
    this.metrics.encoded.inc({ audio });
    return getMessageBytes.raw(Protocol.ROOM_DATA_BYTES, MessageType.SERVER, undefined, encodeServerMessage({ body }));
  }

  /**
   * Writes a message to a client. Its socket stays corked for the rest of this turn of the event
   * loop, so everything a client gets in one turn (the chunks of several voices, their visemes and
   * face) leaves in one system call instead of one each: the profile of 200 clients showed those
   * calls as most of the server's time.
   */
  private write(client: Client, bytes: Uint8Array, body: Body): void {
    const socket = (client.ref as { _socket?: Corkable })._socket;
    if (socket && !this.corked.has(socket)) {
      if (this.corked.size === 0) setImmediate(() => this.uncorkAll());
      socket.cork();
      this.corked.add(socket);
    }
    client.enqueueRaw(bytes);
    this.metrics.sentBytes.inc({ kind: body.case ?? 'none' }, bytes.byteLength);
  }
}

interface Corkable {
  cork(): void;
  uncork(): void;
}

function subscribed(seat: Seat, npcId: string): boolean {
  return seat.subscription.all || seat.subscription.npcIds.has(npcId);
}

/** Bytes written to the client's socket that it has not read yet (the WebSocket's bufferedAmount). */
function bufferedOf(client: Client): number {
  const ws = client.ref as { bufferedAmount?: number };
  return ws.bufferedAmount ?? 0;
}
