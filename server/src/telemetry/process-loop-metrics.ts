import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Metrics } from './metrics.js';

/**
 * A heartbeat, and event-loop delay as gauges through the metrics interface, so that every sink publishes it
 * (prom-client's own `stagecraft_nodejs_eventloop_lag_*` reach /metrics only). Each reading is
 * of the last `windowMs`: its p50, p99 and max, in ms.
 */
export function processLoopMetrics(metrics: Metrics, windowMs = 10_000): { stop(): void } {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let last = { p50: 0, p99: 0, max: 0 };
  const roll = () => {
    if (delay.count > 0) {
      last = { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 };
    }
    delay.reset();
  };
  const timer = setInterval(roll, windowMs);
  timer.unref();
  metrics.gauge<'stat'>({
    name: 'stagecraft_event_loop_delay_ms',
    help: 'Event-loop delay over the last 10 s, ms, by stat: p50, p99, max',
    labels: ['stat'],
    sample: () => [
      { labels: { stat: 'p50' }, value: last.p50 },
      { labels: { stat: 'p99' }, value: last.p99 },
      { labels: { stat: 'max' }, value: last.max },
    ],
  });
  metrics.gauge({
    name: 'stagecraft_heartbeat',
    help: 'Always 1 while the process publishes; its absence means the process or its publishing stopped',
    sample: () => 1,
  });
  return {
    stop: () => {
      clearInterval(timer);
      delay.disable();
    },
  };
}
