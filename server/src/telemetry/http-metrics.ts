import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Metrics } from './metrics.js';

/** Probes and scrapes, left out so that they do not dilute request rates and latency. */
const UNCOUNTED = /^\/(healthz|readyz|metrics)\b/;
const MS_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

/**
 * Connect-style middleware counting HTTP requests (matchmaking, the inspector's API, /version)
 * by status class (`2xx`…`5xx`) and timing them, ms.
 */
export function httpMetrics(metrics: Metrics) {
  const requests = metrics.counter<'status'>({
    name: 'stagecraft_http_requests_total',
    help: 'HTTP requests answered, by status class (2xx, 3xx, 4xx, 5xx); probes and /metrics not counted',
    labels: ['status'],
  });
  const latency = metrics.histogram({
    name: 'stagecraft_http_request_ms',
    help: 'HTTP request to response end, ms',
    buckets: MS_BUCKETS,
  });
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (UNCOUNTED.test(req.url ?? '')) {
      next();
      return;
    }
    const start = performance.now();
    res.once('finish', () => {
      requests.inc({ status: `${Math.floor(res.statusCode / 100)}xx` });
      latency.observe(performance.now() - start);
    });
    next();
  };
}
