import { z } from 'zod';
import { autoscaleSchema, TIERS } from './autoscale/autoscale-settings.js';

export type { InfraTier } from './autoscale/autoscale-settings.js';

const serviceSchema = z.object({
  /** ECS service name; also the `ServiceName` dimension its tasks publish with. */
  name: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a lower-case name of letters, digits and -'),
  tier: z.enum(TIERS),
  /** Dialogue model tiers its tasks host (their `STAGECRAFT_DIALOGUE_*` settings). */
  modelTiers: z.array(z.enum(['gold', 'silver'])).default([]),
  cpu: z.number().int().min(256),
  memoryMiB: z.number().int().min(512),
  gpus: z.number().int().min(0).max(8).default(0),
  minTasks: z.number().int().min(0),
  maxTasks: z.number().int().min(1),
  /** Price of one task-hour on demand and on spot, USD, for the cost dashboard's estimates. */
  taskHourUsd: z.number().min(0),
  spotTaskHourUsd: z.number().min(0),
  /** Share of tasks placed on spot capacity, 0–1. */
  spotShare: z.number().min(0).max(1).default(0),
  /** How `stagecraft autoscale` drives it; absent, it does not (docs/operations.md, "Autoscaling"). */
  autoscale: autoscaleSchema.optional(),
});

export const infraSettingsSchema = z.object({
  cluster: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, 'must be an ECS cluster name'),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1'),
  namespace: z
    .string()
    .regex(/^[A-Za-z0-9._/#:-]{1,255}$/)
    .default('Stagecraft'),
  image: z.string().min(1),
  services: z.array(serviceSchema).min(1),
  /** Spend alarms, USD: spend in one day, and the month projected from month-to-date. */
  dailySpendUsd: z.number().positive(),
  monthlySpendUsd: z.number().positive(),
});

export type InfraSettings = z.infer<typeof infraSettingsSchema>;
export type InfraService = InfraSettings['services'][number];

const AUTOSCALE_DEFAULTS = {
  scaleUpCooldownS: 60,
  scaleDownCooldownS: 300,
  scaleDownAt: 0.7,
  scaleDownStableS: 300,
  maxStepDown: 1,
  taskMetricsPort: 2567,
  metricsUrls: [],
};

/** The settings the checked-in files under infra/ are rendered from (`stagecraft infra render`). */
export const DEFAULT_INFRA_SETTINGS: InfraSettings = {
  cluster: 'stagecraft',
  region: 'us-east-1',
  namespace: 'Stagecraft',
  image: 'ghcr.io/stagecraft/server:latest',
  services: [
    {
      name: 'scene-gold',
      tier: 'gold',
      modelTiers: ['gold'],
      cpu: 4096,
      memoryMiB: 15360,
      gpus: 1,
      minTasks: 1,
      maxTasks: 8,
      taskHourUsd: 1.006,
      spotTaskHourUsd: 0.402,
      spotShare: 0.5,
      autoscale: { ...AUTOSCALE_DEFAULTS, workPerTask: 4, tiers: ['gold'] },
    },
    {
      name: 'scene-silver',
      tier: 'silver',
      modelTiers: ['silver'],
      cpu: 4096,
      memoryMiB: 8192,
      gpus: 0,
      minTasks: 2,
      maxTasks: 20,
      taskHourUsd: 0.197,
      spotTaskHourUsd: 0.059,
      spotShare: 0.7,
      autoscale: { ...AUTOSCALE_DEFAULTS, workPerTask: 4, tiers: ['silver'] },
    },
    {
      name: 'scene-bronze',
      tier: 'bronze',
      modelTiers: [],
      cpu: 1024,
      memoryMiB: 2048,
      gpus: 0,
      minTasks: 1,
      maxTasks: 20,
      taskHourUsd: 0.049,
      spotTaskHourUsd: 0.015,
      spotShare: 0.7,
      autoscale: { ...AUTOSCALE_DEFAULTS, workPerTask: 8, tiers: ['bronze'] },
    },
  ],
  dailySpendUsd: 250,
  monthlySpendUsd: 6000,
};

export class InfraSettingsError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { field: string; message: string }[],
  ) {
    super(problems.map((p) => `${file}: ${p.field}: ${p.message}`).join('\n'));
    this.name = 'InfraSettingsError';
  }
}

/** Validates settings read from `file` (JSON); an error names the file and each bad field. */
export function parseInfraSettings(text: string, file: string): InfraSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InfraSettingsError(file, [{ field: '(file)', message: `not JSON: ${(e as Error).message}` }]);
  }
  const parsed = infraSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InfraSettingsError(
      file,
      parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(root)', message: i.message })),
    );
  }
  const s = parsed.data;
  const problems: { field: string; message: string }[] = [];
  const seen = new Set<string>();
  s.services.forEach((svc, i) => {
    if (seen.has(svc.name)) problems.push({ field: `services.${i}.name`, message: `${svc.name} is given twice` });
    seen.add(svc.name);
    if (svc.maxTasks < svc.minTasks)
      problems.push({ field: `services.${i}.maxTasks`, message: `is below minTasks (${svc.minTasks})` });
    if (svc.tier === 'gold' && svc.gpus === 0)
      problems.push({ field: `services.${i}.gpus`, message: 'a gold service runs on GPU instances: give 1 or more' });
  });
  if (problems.length > 0) throw new InfraSettingsError(file, problems);
  return s;
}
