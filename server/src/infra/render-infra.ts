import { alarms } from './alarms.js';
import { SCALER_TAG, workTiers } from './autoscale/autoscale-settings.js';
import { dashboards } from './dashboards.js';
import { ecsStack } from './ecs-stack.js';
import type { InfraSettings } from './infra-settings.js';
import { monitoringStack } from './monitoring-stack.js';

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** The files of infra/ for these settings, by path relative to it. */
export function renderInfra(s: InfraSettings): Record<string, string> {
  const files: Record<string, string> = {
    'cloudformation/monitoring.json': json(monitoringStack(s)),
    'cloudformation/ecs.json': json(ecsStack(s)),
  };
  for (const [name, body] of Object.entries(dashboards(s))) files[`dashboards/${name}.json`] = json(body);
  return files;
}

/** What `stagecraft infra plan` prints: stacks, services, dashboards and alarms, without AWS. */
export function infraPlan(s: InfraSettings): string {
  const lines: string[] = [];
  lines.push(`Cluster ${s.cluster} in ${s.region}, metrics namespace ${s.namespace}, image ${s.image}`);
  lines.push('', 'Stacks:');
  lines.push(`  ${s.cluster}-ecs         cloudformation/ecs.json`);
  lines.push(`  ${s.cluster}-monitoring  cloudformation/monitoring.json`);
  lines.push('', 'Services:');
  for (const svc of s.services) {
    const where = svc.gpus > 0 ? `EC2 GPU capacity provider, ${svc.gpus} GPU` : 'Fargate';
    lines.push(
      `  ${svc.name.padEnd(14)} ${svc.tier.padEnd(7)} ${where}; ${svc.cpu / 1024} vCPU, ${svc.memoryMiB} MiB; ` +
        `${svc.minTasks}–${svc.maxTasks} tasks, ${Math.round(svc.spotShare * 100)} % spot; ` +
        `models: ${svc.modelTiers.join(', ') || 'none (authored lines)'}`,
    );
  }
  lines.push('', 'Scaling (desired count):');
  for (const svc of s.services) {
    const a = svc.autoscale;
    lines.push(
      a
        ? `  ${svc.name.padEnd(14)} stagecraft autoscale on ${workTiers(svc).join(', ')} work` +
            `${a.taskMetricsPort ? ` (each task's :${a.taskMetricsPort}/metrics)` : ''}, ${a.workPerTask} per task; ` +
            `up after ${a.scaleUpCooldownS} s, down ${a.maxStepDown} at a time after ${a.scaleDownStableS} s low ` +
            `(work per task ≤ ${Math.round(a.scaleDownAt * 100)} %) and ${a.scaleDownCooldownS} s since a change`
        : `  ${svc.name.padEnd(14)} not driven by stagecraft autoscale (tagged ${SCALER_TAG}=none)`,
    );
  }
  lines.push('', 'Dashboards:');
  for (const [name, body] of Object.entries(dashboards(s)))
    lines.push(`  ${s.cluster}-${name} (${body.widgets.filter((w) => w.type === 'metric').length} graphs)`);
  const all = alarms(s);
  lines.push('', `Alarms (${all.length}), to SNS topics ${s.cluster}-critical and ${s.cluster}-warning:`);
  for (const a of all) lines.push(`  [${a.severity}] ${a.name}`);
  return `${lines.join('\n')}\n`;
}
