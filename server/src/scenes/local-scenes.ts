import type { Metrics } from '../telemetry/metrics.js';

/** A scene live in this process. */
export interface LocalScene {
  roomId: string;
  sceneId: string;
  /** Clients joined now. */
  clients: number;
  /** Who created it from an inline definition (token subject, else address); absent for a scene file's. */
  createdBy?: string;
}

/**
 * The scenes live in this process: each room adds itself when it opens and removes itself when it
 * closes. Unlike the matchmaker (which, on a shared driver, sees every process's rooms), this is
 * always this process's own, so gauges read from it stay per process.
 */
export class LocalScenes {
  private readonly rooms = new Map<string, LocalScene>();

  opened(roomId: string, sceneId: string, createdBy?: string): void {
    this.rooms.set(roomId, { roomId, sceneId, clients: 0, ...(createdBy !== undefined ? { createdBy } : {}) });
  }

  /** Inline scenes live now: all of them, or those `createdBy` created. */
  inlineCount(createdBy?: string): number {
    let n = 0;
    for (const r of this.rooms.values()) {
      if (r.createdBy !== undefined && (createdBy === undefined || r.createdBy === createdBy)) n++;
    }
    return n;
  }

  clients(roomId: string, clients: number): void {
    const room = this.rooms.get(roomId);
    if (room) room.clients = clients;
  }

  closed(roomId: string): void {
    this.rooms.delete(roomId);
  }

  list(): LocalScene[] {
    return [...this.rooms.values()].map((r) => ({ ...r }));
  }
}

/** Gauges of this process's live scenes and their clients. */
export function localSceneMetrics(metrics: Metrics, live: LocalScenes): void {
  metrics.gauge({
    name: 'stagecraft_scenes_live',
    help: 'Scenes live in this process',
    sample: () => live.list().length,
  });
  metrics.gauge({
    name: 'stagecraft_scene_clients',
    help: 'Clients connected to scenes in this process',
    sample: () => live.list().reduce((n, s) => n + s.clients, 0),
  });
}
