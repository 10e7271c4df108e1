import type { Room } from '@colyseus/sdk';
import { describe, expect, it } from '@jest/globals';
import { Scene } from './scene.js';

// A stand-in Colyseus room: this test is about what Scene does when its connection ends, not
// about the transport (test/sdk.test.ts joins a real server).
function standInRoom() {
  let onLeave: ((code: number, reason?: string) => void) | undefined;
  const room = {
    leaves: 0,
    onMessage: () => () => undefined,
    onDrop: () => undefined,
    onReconnect: () => undefined,
    onLeave: (cb: (code: number, reason?: string) => void) => {
      onLeave = cb;
    },
    // Like Colyseus: resolves when the connection closes, which it never does here.
    leave: () => {
      room.leaves++;
      return new Promise<number>(() => undefined);
    },
    closedByServer: (code: number) => onLeave?.(code),
  };
  return room;
}

describe('Scene.leave', () => {
  it('resolves at once when the server has already closed the scene', async () => {
    const room = standInRoom();
    const scene = new Scene(room as unknown as Room);
    const left: number[] = [];
    scene.on('leave', ({ code }) => left.push(code));
    room.closedByServer(4001);
    await expect(scene.leave()).resolves.toBeUndefined();
    expect(left).toEqual([4001]);
    expect(room.leaves).toBe(0);
  });
});
