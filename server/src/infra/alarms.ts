import { AWS_BILLING, ECS_INSIGHTS, FLEET_NAMESPACE, SPOT_INTERRUPTIONS } from './dashboards.js';
import type { InfraService, InfraSettings } from './infra-settings.js';
import { processDimensions } from './metric-refs.js';

export type Severity = 'critical' | 'warning';

export interface MetricStat {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  /** `Average`, `Sum`, `Minimum`, `Maximum`, `SampleCount` or a percentile such as `p95`. */
  stat: string;
}

export interface AlarmSpec {
  /** CloudFormation logical id. */
  id: string;
  name: string;
  description: string;
  severity: Severity;
  /** One metric, or metric math: `expression` over `metrics` by their ids. */
  metric: MetricStat | { expression: string; metrics: Record<string, MetricStat> };
  comparison: 'GreaterThanThreshold' | 'LessThanThreshold';
  threshold: number | { parameter: string };
  periodS: number;
  evaluationPeriods: number;
  treatMissingData: 'breaching' | 'notBreaching' | 'missing' | 'ignore';
}

const pascal = (s: string) => s.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());
const ecs = (s: InfraSettings, svc: InfraService) => ({ ClusterName: s.cluster, ServiceName: svc.name });

function serviceAlarms(s: InfraSettings, svc: InfraService): AlarmSpec[] {
  const ns = s.namespace;
  const d = processDimensions(s, svc);
  const P = pascal(svc.name);
  const prefix = `${s.cluster}-${svc.name}`;
  const requests = (status: string): MetricStat => ({
    namespace: ns,
    name: 'stagecraft_http_requests_total',
    dimensions: { ...d, status },
    stat: 'Sum',
  });
  const out: AlarmSpec[] = [
    {
      id: `${P}Down`,
      name: `${prefix} service down`,
      description: `${svc.name} has no running task.`,
      severity: 'critical',
      metric: { namespace: ECS_INSIGHTS, name: 'RunningTaskCount', dimensions: ecs(s, svc), stat: 'Minimum' },
      comparison: 'LessThanThreshold',
      threshold: 1,
      periodS: 60,
      evaluationPeriods: 1,
      treatMissingData: 'breaching',
    },
    {
      id: `${P}ErrorRate`,
      name: `${prefix} error rate above 5 %`,
      description: `More than 5 % of ${svc.name}'s HTTP requests answered 5xx for 5 minutes.`,
      severity: 'warning',
      metric: {
        expression: '100 * FILL(e, 0) / (FILL(a, 0) + FILL(b, 0) + FILL(c, 0) + FILL(e, 0))',
        metrics: { a: requests('2xx'), b: requests('3xx'), c: requests('4xx'), e: requests('5xx') },
      },
      comparison: 'GreaterThanThreshold',
      threshold: 5,
      periodS: 60,
      evaluationPeriods: 5,
      treatMissingData: 'notBreaching',
    },
    {
      id: `${P}LatencyP95`,
      name: `${prefix} latency p95 above 1 s`,
      description: `${svc.name}'s HTTP latency p95 stayed above 1 s for 5 minutes.`,
      severity: 'warning',
      metric: { namespace: ns, name: 'stagecraft_http_request_ms', dimensions: d, stat: 'p95' },
      comparison: 'GreaterThanThreshold',
      threshold: 1000,
      periodS: 60,
      evaluationPeriods: 5,
      treatMissingData: 'notBreaching',
    },
    {
      id: `${P}HeartbeatMissing`,
      name: `${prefix} heartbeat missing`,
      description: `No task of ${svc.name} has published a heartbeat for 3 minutes.`,
      severity: 'critical',
      metric: { namespace: ns, name: 'stagecraft_heartbeat', dimensions: d, stat: 'SampleCount' },
      comparison: 'LessThanThreshold',
      threshold: 1,
      periodS: 60,
      evaluationPeriods: 3,
      treatMissingData: 'breaching',
    },
    {
      id: `${P}BelowDesired`,
      name: `${prefix} running below desired`,
      description: `${svc.name} ran fewer tasks than desired for 5 minutes.`,
      severity: 'critical',
      metric: {
        expression: 'desired - running',
        metrics: {
          desired: { namespace: ECS_INSIGHTS, name: 'DesiredTaskCount', dimensions: ecs(s, svc), stat: 'Maximum' },
          running: { namespace: ECS_INSIGHTS, name: 'RunningTaskCount', dimensions: ecs(s, svc), stat: 'Minimum' },
        },
      },
      comparison: 'GreaterThanThreshold',
      threshold: 0,
      periodS: 60,
      evaluationPeriods: 5,
      treatMissingData: 'notBreaching',
    },
  ];
  if (svc.gpus > 0) {
    out.push(
      {
        id: `${P}GpuBusy`,
        name: `${prefix} GPU above 95 %`,
        description: `GPU 0 of ${svc.name}'s tasks stayed above 95 % utilisation for 10 minutes.`,
        severity: 'warning',
        metric: {
          namespace: ns,
          name: 'stagecraft_gpu_utilization_percent',
          dimensions: { ...d, gpu: '0' },
          stat: 'Average',
        },
        comparison: 'GreaterThanThreshold',
        threshold: 95,
        periodS: 60,
        evaluationPeriods: 10,
        treatMissingData: 'notBreaching',
      },
      {
        id: `${P}GpuHot`,
        name: `${prefix} GPU above 85 °C`,
        description: `GPU 0 of a ${svc.name} task is hotter than 85 °C.`,
        severity: 'warning',
        metric: {
          namespace: ns,
          name: 'stagecraft_gpu_temperature_celsius',
          dimensions: { ...d, gpu: '0' },
          stat: 'Maximum',
        },
        comparison: 'GreaterThanThreshold',
        threshold: 85,
        periodS: 60,
        evaluationPeriods: 1,
        treatMissingData: 'notBreaching',
      },
    );
  }
  for (const tier of svc.modelTiers) {
    out.push({
      id: `${P}Inference${pascal(tier)}P95`,
      name: `${prefix} ${tier} inference p95 above 500 ms`,
      description: `The ${tier} dialogue model on ${svc.name} took more than 500 ms to its first words (p95) for 5 minutes.`,
      severity: 'warning',
      metric: { namespace: ns, name: 'stagecraft_dialogue_first_token_ms', dimensions: { ...d, tier }, stat: 'p95' },
      comparison: 'GreaterThanThreshold',
      threshold: 500,
      periodS: 60,
      evaluationPeriods: 5,
      treatMissingData: 'notBreaching',
    });
  }
  return out;
}

/** Every alarm of the operations plan for these settings. */
export function alarms(s: InfraSettings): AlarmSpec[] {
  const bill: MetricStat = {
    namespace: AWS_BILLING,
    name: 'EstimatedCharges',
    dimensions: { Currency: 'USD' },
    stat: 'Maximum',
  };
  return [
    ...s.services.flatMap((svc) => serviceAlarms(s, svc)),
    {
      id: 'SpotInterruptions',
      name: `${s.cluster} spot interruptions above 5 an hour`,
      description:
        'More than 5 spot interruptions in an hour (EC2 warnings and Fargate Spot task stops in the region).',
      severity: 'warning',
      metric: {
        namespace: FLEET_NAMESPACE,
        name: SPOT_INTERRUPTIONS,
        dimensions: {},
        stat: 'Sum',
      },
      comparison: 'GreaterThanThreshold',
      threshold: 5,
      periodS: 3600,
      evaluationPeriods: 1,
      treatMissingData: 'notBreaching',
    },
    {
      id: 'DailySpend',
      name: `${s.cluster} daily spend above limit`,
      description: 'The account spent more than DailySpendUsd in a day (AWS/Billing, us-east-1).',
      severity: 'warning',
      metric: { expression: 'DIFF(bill)', metrics: { bill } },
      comparison: 'GreaterThanThreshold',
      threshold: { parameter: 'DailySpendUsd' },
      periodS: 86400,
      evaluationPeriods: 1,
      treatMissingData: 'notBreaching',
    },
    {
      id: 'ProjectedMonthlySpend',
      name: `${s.cluster} projected monthly spend above limit`,
      description: 'Month-to-date charges, projected to 30 days, pass MonthlySpendUsd (AWS/Billing, us-east-1).',
      severity: 'warning',
      metric: { expression: 'bill / DAY(bill) * 30', metrics: { bill } },
      comparison: 'GreaterThanThreshold',
      threshold: { parameter: 'MonthlySpendUsd' },
      periodS: 21600,
      evaluationPeriods: 1,
      treatMissingData: 'notBreaching',
    },
  ];
}
