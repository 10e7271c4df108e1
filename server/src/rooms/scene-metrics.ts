import type { Counter, Histogram, Metrics } from '../telemetry/metrics.js';

/** What scenes record: verdict and director-tick times, and bytes sent to clients. */
export interface SceneMetrics {
  /** One proposal judged in process (constraint engine and wire conversion), ms. */
  verdictMs: Histogram;
  /** One director tick of one scene, ms. */
  directorTickMs: Histogram;
  /** Bytes of server messages sent to clients (one copy per client), by message `kind`. */
  sentBytes: Counter<'kind'>;
}

const VERDICT_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5];
const TICK_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50];

export function sceneMetrics(metrics: Metrics): SceneMetrics {
  return {
    verdictMs: metrics.histogram({
      name: 'stagecraft_verdict_ms',
      help: 'One proposed action judged in process (constraint engine and wire conversion), ms',
      buckets: VERDICT_BUCKETS,
    }),
    directorTickMs: metrics.histogram({
      name: 'stagecraft_director_tick_ms',
      help: 'One director tick of one scene, ms',
      buckets: TICK_BUCKETS,
    }),
    sentBytes: metrics.counter({
      name: 'stagecraft_media_bytes_total',
      help: 'Bytes of server messages sent to clients, one copy per client, by kind (audio, face, visemes, state…)',
      labels: ['kind'],
    }),
  };
}
