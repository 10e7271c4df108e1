import {
  type ClientMessageSchema,
  decodeServerMessage,
  encodeClientMessage,
  type MessageInitShape,
  MessageType,
  SCENE_ROOM,
  type ServerMessage,
  type ServerMessageKind,
  type ServerMessageOf,
} from '@stagecraft/protocol';
import { WebSocket } from 'ws';

/** Colyseus frame codes used on a scene's WebSocket (docs/protocol.md, section 2). */
export const FRAME = {
  JOIN_ROOM: 10,
  ERROR: 11,
  LEAVE_ROOM: 12,
  ROOM_DATA_BYTES: 17,
  PING: 18,
  ROOM_REQUEST: 21,
} as const;

export interface Seat {
  sessionId: string;
  roomId: string;
  processId: string;
}

/** One WebSocket frame as it crossed the wire. */
export interface WireFrame {
  direction: 'server-to-client' | 'client-to-server';
  bytes: Uint8Array;
}

/**
 * A scene client written from docs/protocol.md alone, over a bare WebSocket: HTTP matchmaking,
 * the JOIN_ROOM handshake and Colyseus's byte framing by hand, protobuf for the messages. It keeps
 * every frame it sends and receives, byte for byte.
 */
export class WireClient {
  readonly frames: WireFrame[] = [];
  readonly received: ServerMessage[] = [];
  /** The reconnection token of the last JOIN_ROOM frame. */
  token = '';
  readonly closed: Promise<{ code: number; reason: string }>;
  private joined!: () => void;
  private waiters: { test: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];

  private constructor(
    readonly socket: WebSocket,
    readonly seat: Seat,
  ) {
    this.closed = new Promise((resolve) =>
      socket.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })),
    );
    socket.on('message', (data: Buffer) => this.onFrame(new Uint8Array(data)));
  }

  /** Matchmakes (`joinOrCreate` by default), connects and completes the handshake. */
  static async join(baseUrl: string, options: Record<string, unknown>, method = 'joinOrCreate'): Promise<WireClient> {
    const response = await fetch(`${baseUrl}/matchmake/${method}/${SCENE_ROOM}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(options),
    });
    const body = (await response.json()) as Seat & { error?: string };
    if (!response.ok) throw new Error(`matchmaking failed (${response.status}): ${body.error}`);
    return WireClient.connect(baseUrl, body);
  }

  /** Connects to a seat; with `token`, reconnects the session that held it. */
  static async connect(baseUrl: string, seat: Seat, token?: string): Promise<WireClient> {
    const ws = baseUrl.replace(/^http/, 'ws');
    const query = `sessionId=${seat.sessionId}${token ? `&reconnectionToken=${token}&skipHandshake=1` : ''}`;
    const socket = new WebSocket(`${ws}/${seat.processId}/${seat.roomId}?${query}`);
    const client = new WireClient(socket, seat);
    const joined = new Promise<void>((resolve, reject) => {
      client.joined = resolve;
      client.closed.then(({ code, reason }) => reject(new Error(`closed before joining: ${code} ${reason}`)));
      socket.on('error', reject);
    });
    await joined;
    return client;
  }

  /** Sends a ClientMessage in a ROOM_DATA_BYTES frame of type 2. */
  send(init: MessageInitShape<typeof ClientMessageSchema>): void {
    const body = encodeClientMessage(init);
    const frame = new Uint8Array(2 + body.length);
    frame.set([FRAME.ROOM_DATA_BYTES, MessageType.CLIENT]);
    frame.set(body, 2);
    this.sendRaw(frame);
  }

  sendRaw(bytes: Uint8Array): void {
    this.frames.push({ direction: 'client-to-server', bytes });
    this.socket.send(bytes);
  }

  /** Resolves with the next (or an already received) message of `kind` matching `test`. */
  next<K extends ServerMessageKind>(
    kind: K,
    test: (value: ServerMessageOf<K>, msg: ServerMessage) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<ServerMessageOf<K>> {
    return this.nextMessage(kind, test, timeoutMs).then((m) => m.body.value as never) as Promise<ServerMessageOf<K>>;
  }

  /** Like `next`, with the whole envelope (its request_id). */
  nextMessage<K extends ServerMessageKind>(
    kind: K,
    test: (value: ServerMessageOf<K>, msg: ServerMessage) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<ServerMessage> {
    const match = (m: ServerMessage) => m.body.case === kind && test(m.body.value as ServerMessageOf<K>, m);
    const seen = this.received.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${kind} message within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        test: match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  /** Leaves for good (LEAVE_ROOM); resolves with the close code. */
  async leave(): Promise<number> {
    if (this.socket.readyState === WebSocket.OPEN) this.sendRaw(new Uint8Array([FRAME.LEAVE_ROOM]));
    return (await this.closed).code;
  }

  /** Drops the connection without leaving, as a network failure would. */
  drop(): void {
    this.socket.terminate();
  }

  private onFrame(bytes: Uint8Array): void {
    this.frames.push({ direction: 'server-to-client', bytes });
    const code = bytes[0];
    if (code === FRAME.JOIN_ROOM) {
      const length = bytes[1] ?? 0;
      this.token = new TextDecoder().decode(bytes.subarray(2, 2 + length));
      this.sendRaw(new Uint8Array([FRAME.JOIN_ROOM]));
      this.joined();
      return;
    }
    if (code !== FRAME.ROOM_DATA_BYTES || bytes[1] !== MessageType.SERVER) return;
    const msg = decodeServerMessage(bytes.subarray(2));
    this.received.push(msg);
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(msg)) return true;
      w.resolve(msg);
      return false;
    });
  }
}
