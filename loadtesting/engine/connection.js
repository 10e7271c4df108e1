'use strict';
const WebSocket = require('ws');
const { FRAME } = require('./wire');

/** An error that ends a virtual user; artillery counts it as `errors.<code>`. */
class EngineError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/**
 * One client's WebSocket to a scene, by the raw protocol (docs/protocol.md): HTTP matchmaking, the
 * JOIN_ROOM handshake, Colyseus framing. Every server frame goes to `onFrame(bytes, at)`.
 */
class SceneConnection {
  constructor(socket, seat) {
    this.socket = socket;
    this.seat = seat;
    this.onFrame = () => {};
    this.left = false;
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  /**
   * Matchmakes (`joinOrCreate`) with `options` (sceneId, role, name), connects and completes the
   * handshake. `token` goes in the Authorization header. Rejects with EngineError naming the step.
   */
  static async open(target, options, { token, timeoutMs = 10_000 } = {}) {
    const headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    let response;
    try {
      response = await fetch(`${target}/matchmake/joinOrCreate/scene`, {
        method: 'POST',
        headers,
        body: JSON.stringify(options),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw new EngineError('stagecraft.join_unreachable', `matchmaking at ${target}: ${e.cause?.code ?? e.message}`);
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const code = `stagecraft.join_failed_${response.status}`;
      throw new EngineError(code, `matchmaking ${options.sceneId} (${response.status}): ${body.error ?? 'no message'}`);
    }
    return SceneConnection.connect(target, body, timeoutMs);
  }

  static connect(target, seat, timeoutMs) {
    const base = seat.publicAddress ? `${target.startsWith('https') ? 'wss' : 'ws'}://${seat.publicAddress}` : target;
    const url = `${base.replace(/^http/, 'ws')}/${seat.processId}/${seat.roomId}?sessionId=${seat.sessionId}`;
    const socket = new WebSocket(url, { perMessageDeflate: false });
    const conn = new SceneConnection(socket, seat);
    return new Promise((resolve, reject) => {
      const onError = (e) => fail(e.message);
      const onClose = (code) => fail(`closed before joining (${code})`);
      const fail = (why) => {
        clearTimeout(timer);
        socket.terminate();
        reject(new EngineError('stagecraft.connect_failed', `connecting to room ${seat.roomId}: ${why}`));
      };
      const timer = setTimeout(() => fail(`no JOIN_ROOM within ${timeoutMs} ms`), timeoutMs);
      socket.on('error', onError);
      socket.on('close', onClose);
      socket.on('message', (data) => {
        const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
        if (bytes[0] === FRAME.JOIN_ROOM) {
          clearTimeout(timer);
          socket.off('error', onError);
          socket.off('close', onClose);
          // From here a failure shows as the close code, which the session reads from `closed`.
          socket.on('error', () => {});
          socket.send(Uint8Array.of(FRAME.JOIN_ROOM));
          resolve(conn);
          return;
        }
        conn.onFrame(bytes, performance.now());
      });
    });
  }

  get open() {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(frame) {
    if (this.open) this.socket.send(frame);
  }

  /** Leaves for good (LEAVE_ROOM); resolves with the close code, or after `timeoutMs` regardless. */
  async leave(timeoutMs = 5000) {
    this.left = true;
    if (!this.open) return (await this.closed).code;
    this.socket.send(Uint8Array.of(FRAME.LEAVE_ROOM));
    let timer;
    const late = new Promise((resolve) => {
      timer = setTimeout(() => {
        this.socket.terminate();
        resolve({ code: 0 });
      }, timeoutMs);
    });
    const { code } = await Promise.race([this.closed, late]);
    clearTimeout(timer);
    return code;
  }
}

module.exports = { SceneConnection, EngineError };
