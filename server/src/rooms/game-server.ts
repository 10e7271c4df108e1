import type { Server as HttpServer } from 'node:http';
import { matchMaker, Server } from '@colyseus/core';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { SCENE_ROOM } from '@stagecraft/protocol';
import { WebSocket as NodeWebSocket } from 'ws';
import { SceneRoom } from './scene.room.js';
import { jwtSceneAuth } from './scene-auth.js';
import type { SceneServices } from './scene-services.js';

// Colyseus 0.18 reads the global WebSocket's OPEN constant when a client reconnects; Node 20
// has no global WebSocket (Node 22 does), so reconnection would fail there without this.
if (!('WebSocket' in globalThis)) Object.assign(globalThis, { WebSocket: NodeWebSocket });

/** Largest WebSocket message a client may send, bytes. */
export const MAX_CLIENT_MESSAGE_BYTES = 1024 * 1024;

/**
 * Creates the Colyseus server on Nest's HTTP server. Colyseus must own
 * `listen()` on it, or its matchmaking routes are never bound.
 */
export function createGameServer(httpServer: HttpServer, services: SceneServices, jwtSecret?: string): Server {
  const transport = new WebSocketTransport({ server: httpServer, maxPayload: MAX_CLIENT_MESSAGE_BYTES });
  const gameServer = new Server({ transport, greet: false, gracefullyShutdown: false });
  const roomClass = jwtSecret ? withJwtAuth(jwtSecret) : SceneRoom;
  gameServer.define(SCENE_ROOM, roomClass, { services }).filterBy(['sceneId']);
  return gameServer;
}

function withJwtAuth(secret: string): typeof SceneRoom {
  const verify = jwtSceneAuth(secret);
  return class AuthenticatedSceneRoom extends SceneRoom {
    static override onAuth = verify;
  };
}

/** Live scene rooms in this process. */
export async function liveScenes(): Promise<{ roomId: string; sceneId: string; clients: number }[]> {
  const rooms = await matchMaker.query({ name: SCENE_ROOM });
  return rooms.map((r) => ({
    roomId: r.roomId,
    sceneId: String((r.metadata as { sceneId?: string } | undefined)?.sceneId ?? ''),
    clients: r.clients,
  }));
}
