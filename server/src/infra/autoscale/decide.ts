// The tier autoscaler's decision: how many tasks one service should run, from its work and what
// it remembers of earlier rounds. Pure: no clock, no I/O; the round (autoscaler.ts) supplies both.

/** How one service scales; times in ms. */
export interface ScalePolicy {
  minTasks: number;
  maxTasks: number;
  /** Work items (waiting + in flight) one task should carry. */
  workPerTask: number;
  /** Least time from any change of the desired count to a scale-up. */
  scaleUpCooldownMs: number;
  /** Least time from any change of the desired count to a scale-down. */
  scaleDownCooldownMs: number;
  /**
   * Scale in only to a count that keeps work per task at or below this share of `workPerTask`
   * (0–1): the band between it and 1 is the hysteresis that keeps a steady load from flapping.
   */
  scaleDownAt: number;
  /** How long the work must have stayed low enough before a scale-down. */
  scaleDownStableMs: number;
  /** Most tasks taken away in one scale-down. */
  maxStepDown: number;
}

/** What the decision remembers between rounds, ms since the epoch. */
export interface ScaleMemory {
  lastUpMs?: number;
  lastDownMs?: number;
  /** Since when the work has stayed low enough to scale in; unset while it is not. */
  lowSinceMs?: number;
}

/** Work read from the service's tasks: items waiting for a slot and items running. */
export interface Work {
  waiting: number;
  inFlight: number;
}

export interface ScaleInput {
  nowMs: number;
  /** The service's desired count now. */
  desired: number;
  /** Its work, or undefined when no reading came in this round. */
  work: Work | undefined;
}

export type ScaleChange = 'up' | 'down' | 'hold';

export interface ScaleDecision {
  desired: number;
  change: ScaleChange;
  /** Why, in a few words, for the table and the log. */
  reason: string;
  memory: ScaleMemory;
}

const clamp = (n: number, p: ScalePolicy) => Math.min(p.maxTasks, Math.max(p.minTasks, n));
const seconds = (ms: number) => `${Math.ceil(ms / 1000)} s`;

/** Tasks needed for `work` at `perTask` items each, within the policy's bounds. */
export function tasksFor(work: number, perTask: number, p: ScalePolicy): number {
  return clamp(Math.ceil(work / perTask), p);
}

/**
 * The desired count for the next round. Up fast: straight to the count the backlog needs, once the
 * up cooldown has passed. Down slowly: only when the work would fit fewer tasks with room to
 * spare (`scaleDownAt`), has done so for `scaleDownStableMs`, the down cooldown has passed, and
 * then at most `maxStepDown` tasks. A count outside min/max is brought inside at once. No
 * reading holds the count: missing data never scales a service in.
 */
export function decideScale(policy: ScalePolicy, memory: ScaleMemory, input: ScaleInput): ScaleDecision {
  const { nowMs, desired, work } = input;
  const hold = (reason: string, m: ScaleMemory = memory): ScaleDecision => ({
    desired,
    change: 'hold',
    reason,
    memory: m,
  });
  const move = (to: number, reason: string, m: ScaleMemory): ScaleDecision => ({
    desired: to,
    change: to > desired ? 'up' : 'down',
    reason,
    memory: m,
  });
  if (desired < policy.minTasks) return move(policy.minTasks, 'below minTasks', { ...memory, lastUpMs: nowMs });
  if (desired > policy.maxTasks) return move(policy.maxTasks, 'above maxTasks', { ...memory, lastDownMs: nowMs });
  if (!work) return hold('no work reading', { ...memory, lowSinceMs: undefined });

  const load = work.waiting + work.inFlight;
  const lastChangeMs = Math.max(memory.lastUpMs ?? -Infinity, memory.lastDownMs ?? -Infinity);
  const need = tasksFor(load, policy.workPerTask, policy);
  if (need > desired) {
    const m = { ...memory, lowSinceMs: undefined };
    const wait = lastChangeMs + policy.scaleUpCooldownMs - nowMs;
    if (wait > 0) return hold(`needs ${need}; up cooldown ${seconds(wait)} left`, m);
    return move(need, `${load} work needs ${need} at ${policy.workPerTask} per task`, { ...m, lastUpMs: nowMs });
  }

  const fits = tasksFor(load, policy.workPerTask * policy.scaleDownAt, policy);
  if (fits >= desired) {
    const reason = desired === policy.minTasks && need === desired ? 'at minTasks' : 'within band';
    return hold(reason, { ...memory, lowSinceMs: undefined });
  }
  const lowSinceMs = memory.lowSinceMs ?? nowMs;
  const m = { ...memory, lowSinceMs };
  const steady = nowMs - lowSinceMs;
  if (steady < policy.scaleDownStableMs)
    return hold(`fits ${fits}; low for ${seconds(steady)} of ${seconds(policy.scaleDownStableMs)}`, m);
  const wait = lastChangeMs + policy.scaleDownCooldownMs - nowMs;
  if (wait > 0) return hold(`fits ${fits}; down cooldown ${seconds(wait)} left`, m);
  const to = Math.max(fits, desired - policy.maxStepDown);
  return move(to, `${load} work fits ${fits}`, { ...m, lastDownMs: nowMs });
}
