import type { TierName } from '@stagecraft/protocol';
import type { Counter, Metrics } from '../telemetry/metrics.js';

/** One tier's engine, as the router tries it. */
export interface TierStep<E> {
  engine: E;
  /** Engine name, for logs and the fallback metric. */
  name: string;
  tier: TierName;
}

/** Tier handovers, by service (tts, dialogue, asr), engine handed from and to, and error code. */
export type FallbackCounter = Counter<'service' | 'from' | 'to' | 'code'>;

export function fallbackCounter(metrics: Metrics): FallbackCounter {
  return metrics.counter({
    name: 'stagecraft_tier_fallbacks_total',
    help: 'Requests a tier failed or did not answer in time, so that the next tier answered',
    labels: ['service', 'from', 'to', 'code'],
  });
}

export interface TierRoute<E, R> {
  /** Label of the service routed, e.g. `tts`. */
  service: string;
  /**
   * Tries one step. Settles with what the step commits to: its whole answer (a synthesis) or its
   * first words (a dialogue stream); rejects when the step fails. `signal` aborts it.
   */
  attempt(step: TierStep<E>, signal: AbortSignal): Promise<R>;
  /**
   * A step that has not committed within this many ms is passed over for the next. The last step
   * has no deadline: a late answer beats silence (its own guard still times it out).
   */
  deadlineMs: number;
  /** The error a step that missed its deadline is passed over with. */
  timeoutError(step: TierStep<E>): Error;
  /** The error a step is passed over with once the caller's signal aborted. */
  abortError(step: TierStep<E>): Error;
  /**
   * A step that missed its deadline is aborted, unless this is given: then it runs on unheard and
   * this gets what it commits to once it does (a dialogue model left reading a long prompt, so
   * that it holds that prompt for the NPC's next line).
   */
  finishLate?(result: R, step: TierStep<E>): void;
  /** Error code for the metric; `failed` when absent or unknown. */
  codeOf?(error: unknown): string;
  fallbacks?: FallbackCounter;
  /** Called once per handover, e.g. for a log line. */
  onFallback?(from: TierStep<E>, to: TierStep<E>, error: unknown): void;
}

/**
 * Tries the steps in order (gold → silver → bronze): the first to commit within its deadline
 * answers. A step that fails, misses its deadline or is refused (a full queue) hands over to the
 * next at once. Only the last step's failure reaches the caller.
 */
export async function routeTiers<E, R>(
  steps: readonly TierStep<E>[],
  route: TierRoute<E, R>,
  signal?: AbortSignal,
): Promise<{ result: R; step: TierStep<E> }> {
  if (steps.length === 0) throw new Error(`${route.service}: no tier to route to`);
  let last: unknown;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as TierStep<E>;
    if (signal?.aborted) throw route.abortError(step);
    try {
      const deadline = i === steps.length - 1 ? undefined : route.deadlineMs;
      return { result: await attemptWithin(step, route, deadline, signal), step };
    } catch (err) {
      if (signal?.aborted) throw route.abortError(step);
      last = err;
      const next = steps[i + 1];
      if (next) {
        route.fallbacks?.inc({ service: route.service, from: step.name, to: next.name, code: codeOf(route, err) });
        route.onFallback?.(step, next, err);
      }
    }
  }
  throw last;
}

function codeOf(route: TierRoute<unknown, unknown>, err: unknown): string {
  return route.codeOf?.(err) ?? 'failed';
}

/**
 * One attempt under a deadline, with its own signal that the caller's signal also aborts. The
 * caller's abort ends the wait at once: an engine slow to stop must not hold the caller up.
 */
function attemptWithin<E, R>(
  step: TierStep<E>,
  route: TierRoute<E, R>,
  deadlineMs: number | undefined,
  signal: AbortSignal | undefined,
): Promise<R> {
  const controller = new AbortController();
  let late = false;
  let timer: NodeJS.Timeout | undefined;
  let cancel: (reason: unknown) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => {
    cancel = reject;
  });
  const forward = () => {
    controller.abort();
    cancel(route.abortError(step));
  };
  signal?.addEventListener('abort', forward, { once: true });
  const attempt = route.attempt(step, controller.signal);
  attempt.then(
    (result) => {
      if (late) route.finishLate?.(result, step);
    },
    () => undefined,
  );
  if (deadlineMs !== undefined) {
    timer = setTimeout(() => {
      late = true;
      if (!route.finishLate) controller.abort();
      cancel(route.timeoutError(step));
    }, deadlineMs);
  }
  return Promise.race([attempt, stopped]).finally(() => {
    clearTimeout(timer);
    // A late step left to finish still stops when the caller gives up on the whole request.
    if (!late || !route.finishLate) signal?.removeEventListener('abort', forward);
  });
}
