import type { Logger } from 'pino';
import type { Counter, Metrics } from '../telemetry/metrics.js';

/** Lines of one kind logged at most once per this many ms; the rest are counted and summed up. */
export const TRANSPORT_LOG_INTERVAL_MS = 10_000;

/** What Colyseus logs, sorted by the kind of trouble, from the first line of its message. */
export function transportErrorKind(message: string): string {
  if (/max payload size exceeded/i.test(message)) return 'frame-too-large';
  if (/unpack|msgpack|decode|offset|out of range|invalid.*(type|byte)|unexpected end/i.test(message))
    return 'bad-frame';
  return 'transport';
}

interface Window {
  until: number;
  suppressed: number;
}

/**
 * The logger Colyseus writes to: one JSON line per problem instead of a stack trace on stdout,
 * at most one line per kind every TRANSPORT_LOG_INTERVAL_MS (the next one says how many were left
 * out), and every problem counted in `stagecraft_transport_errors_total{kind}`.
 */
export function transportLog(log: Logger, metrics: Metrics, now: () => number = Date.now) {
  const errors: Counter<'kind'> = metrics.counter({
    name: 'stagecraft_transport_errors_total',
    help: 'Frames and connections the transport refused or failed on, by kind',
    labels: ['kind'],
  });
  const windows = new Map<string, Window>();
  const text = (args: unknown[]) =>
    args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(' ');
  const limited = (args: unknown[]) => {
    const message = text(args);
    const kind = transportErrorKind(message);
    errors.inc({ kind });
    const t = now();
    const open = windows.get(kind);
    if (open && t < open.until) {
      open.suppressed += 1;
      return;
    }
    const suppressed = open?.suppressed ?? 0;
    windows.set(kind, { until: t + TRANSPORT_LOG_INTERVAL_MS, suppressed: 0 });
    const first = message.split('\n')[0]?.trim() ?? '';
    log.error({ event: 'transport.error', kind, ...(suppressed > 0 ? { suppressed } : {}) }, first);
  };
  return {
    error: (...args: unknown[]) => limited(args),
    warn: (...args: unknown[]) => log.warn(text(args).split('\n')[0] ?? ''),
    info: (...args: unknown[]) => log.info(text(args)),
    debug: (...args: unknown[]) => log.debug(text(args)),
    trace: (...args: unknown[]) => log.trace(text(args)),
  };
}
