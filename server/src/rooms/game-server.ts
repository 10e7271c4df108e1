import type { Server as HttpServer } from 'node:http';
import { Server } from '@colyseus/core';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { LIMITS, SCENE_ROOM } from '@stagecraft/protocol';
import { WebSocket as NodeWebSocket } from 'ws';
import type { Metrics } from '../telemetry/metrics.js';
import { SceneRoom } from './scene.room.js';
import { sceneAuth, type TokenPolicy } from './scene-auth.js';
import { sceneMetrics } from './scene-metrics.js';
import type { SceneServices } from './scene-services.js';
import { transportLog } from './transport-log.js';

// Colyseus 0.18 reads the global WebSocket's OPEN constant when a client reconnects; Node 20
// has no global WebSocket (Node 22 does), so reconnection would fail there without this.
if (!('WebSocket' in globalThis)) Object.assign(globalThis, { WebSocket: NodeWebSocket });

/**
 * Creates the Colyseus server on Nest's HTTP server. Colyseus must own
 * `listen()` on it, or its matchmaking routes are never bound.
 */
export function createGameServer(
  httpServer: HttpServer,
  services: Omit<SceneServices, 'clientsClosed' | 'sceneMetrics' | 'mediaMetrics'>,
  options: { metrics: Metrics; jwtSecret?: string; tokens?: TokenPolicy },
): Server {
  const transport = new WebSocketTransport({ server: httpServer, maxPayload: LIMITS.frameBytes });
  const logger = transportLog(services.logger.child({ component: 'transport' }), options.metrics);
  const gameServer = new Server({ transport, greet: false, gracefullyShutdown: false, logger });
  const clientsClosed = options.metrics.counter<'reason'>({
    name: 'stagecraft_clients_closed_total',
    help: 'Clients the server closed with 4002, by reason (messages: over the message rate; bytes: over the byte rate; slow: too far behind in reading)',
    labels: ['reason'],
  });
  const scenes = sceneMetrics(options.metrics);
  const mediaMetrics = {
    encoded: options.metrics.counter<'audio'>({
      name: 'stagecraft_media_messages_encoded_total',
      help: 'Server messages encoded and framed, by audio format (none: no audio in it); once each, whatever the number of clients',
      labels: ['audio'],
    }),
    sentBytes: scenes.sentBytes,
    dropped: options.metrics.counter({
      name: 'stagecraft_media_dropped_total',
      help: 'Lines whose media was dropped for one client that read too slowly (MediaDropped)',
    }),
  };
  const auth = sceneAuth({ jwtSecret: options.jwtSecret, inline: services.inline, tokens: options.tokens });
  const roomClass = class AuthenticatedSceneRoom extends SceneRoom {
    static override onAuth = auth;
  };
  gameServer
    .define(SCENE_ROOM, roomClass, { services: { ...services, clientsClosed, sceneMetrics: scenes, mediaMetrics } })
    .filterBy(['sceneId']);
  return gameServer;
}
