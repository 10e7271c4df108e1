import { z } from 'zod';
import type { ScalePolicy } from './decide.js';

export const TIERS = ['gold', 'silver', 'bronze'] as const;
export type InfraTier = (typeof TIERS)[number];

/**
 * A service's `autoscale` block in the infra settings: present, `stagecraft autoscale` drives
 * the service (and the ECS stack tags it `stagecraft:scaler=autoscale`); absent, it does not.
 * Times in seconds, as an operator writes them.
 */
export const autoscaleSchema = z.object({
  /** Work items (waiting + in flight) one task should carry. */
  workPerTask: z.number().positive(),
  scaleUpCooldownS: z.number().int().min(0).max(3600).default(60),
  scaleDownCooldownS: z.number().int().min(0).max(86_400).default(300),
  /** Scale in only to a count that keeps work per task at or below this share of workPerTask. */
  scaleDownAt: z.number().gt(0).max(1).default(0.7),
  scaleDownStableS: z.number().int().min(0).max(86_400).default(300),
  maxStepDown: z.number().int().min(1).default(1),
  /** Tiers whose queues are this service's work; by default its model tiers, else its own tier. */
  tiers: z.array(z.enum(TIERS)).min(1).optional(),
  /**
   * Port of the service's tasks' /metrics: each round reads every running task at its private
   * address (ECS ListTasks and DescribeTasks; awsvpc networking). Absent, only `metricsUrls`.
   */
  taskMetricsPort: z.number().int().min(1).max(65535).optional(),
  /** Fixed `/metrics` URLs read each round (besides the tasks' and `--metrics`). */
  metricsUrls: z.array(z.url({ protocol: /^https?$/ })).default([]),
});

export type AutoscaleSettings = z.infer<typeof autoscaleSchema>;

/** The ECS tag that says which scaler may drive a service, and its value for this one. */
export const SCALER_TAG = 'stagecraft:scaler';
export const SCALER_AUTOSCALE = 'autoscale';

/** The decision's policy for a service. */
export function scalePolicy(a: AutoscaleSettings, bounds: { minTasks: number; maxTasks: number }): ScalePolicy {
  return {
    minTasks: bounds.minTasks,
    maxTasks: bounds.maxTasks,
    workPerTask: a.workPerTask,
    scaleUpCooldownMs: a.scaleUpCooldownS * 1000,
    scaleDownCooldownMs: a.scaleDownCooldownS * 1000,
    scaleDownAt: a.scaleDownAt,
    scaleDownStableMs: a.scaleDownStableS * 1000,
    maxStepDown: a.maxStepDown,
  };
}

/** The tiers whose work a service scales on. */
export function workTiers(svc: {
  tier: InfraTier;
  modelTiers: InfraTier[];
  autoscale?: AutoscaleSettings;
}): InfraTier[] {
  return svc.autoscale?.tiers ?? (svc.modelTiers.length > 0 ? svc.modelTiers : [svc.tier]);
}
