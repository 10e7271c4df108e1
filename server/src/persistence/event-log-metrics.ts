import type { Metrics } from '../telemetry/metrics.js';
import type { EventLog, EventLogCounters } from './event-log.js';

/** A gauge of the event log's counters since start: appended, flushed, pending, failed flushes. */
export function eventLogMetrics(metrics: Metrics, log: EventLog): void {
  metrics.gauge<'state'>({
    name: 'stagecraft_event_log_events',
    help: 'Scene event log: events appended, flushed, still pending, and failed flushes since start',
    labels: ['state'],
    sample: () => {
      const counters = log.counters;
      return (Object.keys(counters) as (keyof EventLogCounters)[]).map((state) => ({
        labels: { state },
        value: counters[state],
      }));
    },
  });
}
