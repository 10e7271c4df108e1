import type { Room } from '@colyseus/sdk';
import { decodeServerMessage, MessageType, type ServerMessage } from '@stagecraft/protocol';

/** Collects a bench client's ServerMessages with their arrival times, and waits for the next match. */
export class Listener {
  private waiters: { test: (m: ServerMessage) => boolean; resolve: (at: number, m: ServerMessage) => void }[] = [];
  readonly log: { at: number; msg: ServerMessage }[] = [];
  constructor(room: Room) {
    room.onMessage(MessageType.SERVER, (bytes: Uint8Array) => {
      const at = performance.now();
      const msg = decodeServerMessage(bytes);
      this.log.push({ at, msg });
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(msg)) return true;
        w.resolve(at, msg);
        return false;
      });
    });
  }
  next(test: (m: ServerMessage) => boolean): Promise<{ at: number; msg: ServerMessage }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer within 20 s')), 20_000);
      this.waiters.push({
        test,
        resolve: (at, msg) => {
          clearTimeout(timer);
          resolve({ at, msg });
        },
      });
    });
  }
}
