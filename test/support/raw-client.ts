import { Client, type Room } from '@colyseus/sdk';
import type { ClientMessageSchema } from '@stagecraft/protocol';
import {
  type ClientMessage,
  decodeServerMessage,
  encodeClientMessage,
  type MessageInitShape,
  MessageType,
  SCENE_ROOM,
  type ServerMessage,
  type ServerMessageKind,
  type ServerMessageOf,
} from '@stagecraft/protocol';

/**
 * A scene client built only on the Colyseus client and the protobuf codec, as an
 * engine plugin would be; used by tests about the room itself.
 */
export class RawSceneClient {
  readonly received: ServerMessage[] = [];
  private waiters: { test: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];

  private constructor(readonly room: Room) {
    room.onMessage(MessageType.SERVER, (bytes: Uint8Array) => {
      const msg = decodeServerMessage(bytes);
      this.received.push(msg);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(msg)) return true;
        w.resolve(msg);
        return false;
      });
    });
  }

  static async join(url: string, options: Record<string, unknown>, method: 'joinOrCreate' | 'create' = 'joinOrCreate') {
    const room = await new Client(url)[method](SCENE_ROOM, options);
    return new RawSceneClient(room);
  }

  send(init: MessageInitShape<typeof ClientMessageSchema>): void {
    this.room.sendBytes(MessageType.CLIENT, encodeClientMessage(init));
  }

  /** Resolves with the next (or an already received) message of `kind` matching `test`. */
  next<K extends ServerMessageKind>(
    kind: K,
    test: (value: ServerMessageOf<K>, msg: ServerMessage) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<ServerMessageOf<K>> {
    const match = (m: ServerMessage) => m.body.case === kind && test(m.body.value as ServerMessageOf<K>, m);
    const seen = this.received.find(match);
    if (seen) return Promise.resolve(seen.body.value) as Promise<ServerMessageOf<K>>;
    return new Promise<ServerMessageOf<K>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${kind} message within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        test: match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m.body.value as never);
        },
      });
    });
  }

  leave(): Promise<number> {
    return this.room.leave(true);
  }
}

export type { ClientMessage };
