import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { EventLog } from '../persistence/index.js';
import { liveScenes } from '../rooms/game-server.js';

/** The process's metrics: Node's own, the event log's, and whatever features register. */
export function createMetricsRegistry(eventLog: EventLog): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'stagecraft_' });
  const counters = eventLog.counters;
  const names = Object.keys(counters) as (keyof typeof counters)[];
  new Gauge({
    name: 'stagecraft_event_log_events',
    help: 'Scene event log: events appended, flushed, still pending, and failed flushes since start',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const now = eventLog.counters;
      for (const state of names) this.set({ state }, now[state]);
    },
  });
  new Gauge({
    name: 'stagecraft_scenes_live',
    help: 'Scenes live in this process',
    registers: [registry],
    async collect() {
      this.set((await liveScenes()).length);
    },
  });
  new Gauge({
    name: 'stagecraft_scene_clients',
    help: 'Clients connected to scenes in this process',
    registers: [registry],
    async collect() {
      this.set((await liveScenes()).reduce((n, s) => n + s.clients, 0));
    },
  });
  return registry;
}
