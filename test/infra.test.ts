// The checked-in infra/ files: rendered from the code as they stand, naming only metrics the
// server publishes (same namespace, names and dimensions), within CloudWatch's and
// CloudFormation's limits, with settings the server accepts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../server/src/config/config.js';
import { dashboardSvg } from '../server/src/infra/dashboard-svg.js';
import { DEFAULT_INFRA_SETTINGS, parseInfraSettings } from '../server/src/infra/infra-settings.js';
import { infraPlan, renderInfra } from '../server/src/infra/render-infra.js';
import type { DashboardBody } from '../server/src/infra/widgets.js';
import { gpuMetrics } from '../server/src/telemetry/gpu-metrics.js';
import { type PublishedMetric, WindowMetrics } from '../server/src/telemetry/window-metrics.js';
import { startTestServer } from './support/server.js';

const INFRA = fileURLToPath(new URL('../infra/', import.meta.url));
const read = (rel: string) => readFileSync(`${INFRA}${rel}`, 'utf8');
const s = DEFAULT_INFRA_SETTINGS;
const PROCESS_DIMENSIONS = ['ClusterName', 'ServiceName'];

/** Metrics AWS publishes that the dashboards and alarms may name, with their dimensions. */
const AWS_METRICS: Record<string, { names: string[]; dimensions: string[] }> = {
  'ECS/ContainerInsights': {
    names: ['RunningTaskCount', 'DesiredTaskCount', 'PendingTaskCount'],
    dimensions: ['ClusterName', 'ServiceName'],
  },
  'AWS/ECS': { names: ['CPUUtilization', 'MemoryUtilization'], dimensions: ['ClusterName', 'ServiceName'] },
  'AWS/Billing': { names: ['EstimatedCharges'], dimensions: ['Currency'] },
};

interface Ref {
  where: string;
  namespace: string;
  name: string;
  dimensions: string[];
  stat?: string;
}

function dashboardRefs(name: string, body: DashboardBody): Ref[] {
  const refs: Ref[] = [];
  for (const w of body.widgets) {
    if (w.type !== 'metric') continue;
    const props = w.properties as { title: string; metrics: unknown[][]; stat?: string };
    for (const m of props.metrics) {
      const where = `dashboard ${name}, "${props.title}"`;
      const last = m[m.length - 1] as Record<string, unknown>;
      const opts = typeof last === 'object' ? last : {};
      if (typeof opts.expression === 'string') {
        const search = /SEARCH\('\{([^}]*)\} MetricName="([^"]+)"/.exec(opts.expression);
        if (search) {
          const [namespace = '', ...dimensions] = (search[1] ?? '').split(',');
          refs.push({ where, namespace, name: search[2] ?? '', dimensions, stat: props.stat });
        }
        continue;
      }
      const [namespace, metricName, ...rest] = m.filter((x) => typeof x === 'string') as string[];
      refs.push({
        where,
        namespace: namespace ?? '',
        name: metricName ?? '',
        dimensions: rest.filter((_, i) => i % 2 === 0),
        stat: (opts.stat as string | undefined) ?? props.stat,
      });
    }
  }
  return refs;
}

type Resource = { Type: string; Properties: Record<string, unknown> };
type Stat = { Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string }[] }; Stat: string };

function alarmRefs(id: string, p: Record<string, unknown>): Ref[] {
  const where = `alarm ${id}`;
  if (Array.isArray(p.Metrics)) {
    return (p.Metrics as { MetricStat?: Stat }[]).flatMap((m) =>
      m.MetricStat
        ? [
            {
              where,
              namespace: m.MetricStat.Metric.Namespace,
              name: m.MetricStat.Metric.MetricName,
              dimensions: m.MetricStat.Metric.Dimensions.map((d) => d.Name),
              stat: m.MetricStat.Stat,
            },
          ]
        : [],
    );
  }
  return [
    {
      where,
      namespace: p.Namespace as string,
      name: p.MetricName as string,
      dimensions: (p.Dimensions as { Name: string }[]).map((d) => d.Name),
      stat: (p.ExtendedStatistic ?? p.Statistic) as string,
    },
  ];
}

const monitoring = JSON.parse(read('cloudformation/monitoring.json')) as { Resources: Record<string, Resource> };
const ecs = JSON.parse(read('cloudformation/ecs.json')) as { Resources: Record<string, Resource> };
const bodies = Object.fromEntries(
  ['service-health', 'gpu-tiers', 'autoscaling', 'cost'].map((n) => [
    n,
    JSON.parse(read(`dashboards/${n}.json`)) as DashboardBody,
  ]),
);
const alarmsOf = () => Object.entries(monitoring.Resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm');

let published: Map<string, PublishedMetric>;

beforeAll(async () => {
  // What the server makes when it starts with a sink, plus the GPU gauges, which it makes only
  // where nvidia-smi answers (here given one GPU's reading).
  const server = await startTestServer({
    env: { STAGECRAFT_METRICS_SINK: 'emf', STAGECRAFT_METRICS_EMF_FILE: '/dev/null' },
  });
  const fromServer = server.server.metrics.window?.published() ?? [];
  await server.close();
  const gpu = new WindowMetrics();
  (await gpuMetrics(gpu, { run: async () => '0, 0, 0, 143771, 37, 110.90\n' }))?.stop();
  published = new Map([...fromServer, ...gpu.published()].map((m) => [m.name, m]));
}, 60_000);

describe('infra/', () => {
  it('holds what `stagecraft infra render` writes from the default settings, pictures included', () => {
    for (const [rel, text] of Object.entries(renderInfra(s))) expect(read(rel)).toBe(text);
    for (const [name, body] of Object.entries(bodies))
      expect(read(`dashboards/${name}.svg`)).toBe(dashboardSvg(name, body));
  });

  it('names only metrics the server publishes, with their namespace and exact dimensions', () => {
    expect(published.size).toBeGreaterThan(15);
    const refs = [
      ...Object.entries(bodies).flatMap(([n, b]) => dashboardRefs(n, b)),
      ...alarmsOf().flatMap(([id, r]) => alarmRefs(id, r.Properties)),
    ];
    expect(refs.length).toBeGreaterThan(80);
    const spotFilter = monitoring.Resources.SpotMetricFilter?.Properties.MetricTransformations as {
      MetricNamespace: string;
      MetricName: string;
    }[];
    const problems: string[] = [];
    for (const r of refs) {
      if (r.namespace === s.namespace) {
        const m = published.get(r.name);
        if (!m) {
          problems.push(`${r.where}: ${r.name} is not published`);
          continue;
        }
        const want = [...PROCESS_DIMENSIONS, ...m.labels].sort();
        if (JSON.stringify([...r.dimensions].sort()) !== JSON.stringify(want))
          problems.push(`${r.where}: ${r.name} dimensions ${r.dimensions} are not ${want}`);
        if (r.stat && /^p\d/.test(r.stat) && m.kind !== 'histogram')
          problems.push(`${r.where}: ${r.stat} of ${r.name}, a ${m.kind}, has no percentiles`);
      } else if (spotFilter.some((f) => f.MetricNamespace === r.namespace && f.MetricName === r.name)) {
        if (r.dimensions.length > 0) problems.push(`${r.where}: the spot metric filter publishes no dimensions`);
      } else {
        const aws = AWS_METRICS[r.namespace];
        if (!aws?.names.includes(r.name)) problems.push(`${r.where}: ${r.namespace} ${r.name} is not a known metric`);
        else if (JSON.stringify([...r.dimensions].sort()) !== JSON.stringify([...aws.dimensions].sort()))
          problems.push(`${r.where}: ${r.name} dimensions ${r.dimensions} are not ${aws.dimensions}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('finds a metric that is not published: the check above is not vacuous', () => {
    const body: DashboardBody = {
      start: '-PT6H',
      periodOverride: 'inherit',
      widgets: [
        {
          type: 'metric',
          x: 0,
          y: 0,
          width: 8,
          height: 6,
          properties: { title: 't', metrics: [['Stagecraft', 'stagecraft_no_such_ms', 'ClusterName', 'c']] },
        },
      ],
    };
    const [ref] = dashboardRefs('x', body);
    expect(ref && published.has(ref.name)).toBe(false);
  });

  it('keeps dashboards within CloudWatch’s limits', () => {
    for (const [name, body] of Object.entries(bodies)) {
      expect(body.widgets.length).toBeLessThanOrEqual(500);
      for (const w of body.widgets) {
        expect(w.x + w.width).toBeLessThanOrEqual(24);
        const metrics = (w.properties.metrics as unknown[] | undefined) ?? [];
        expect(metrics.length).toBeLessThanOrEqual(500);
      }
      for (const w of body.widgets) {
        const widgetIds = ((w.properties.metrics as unknown[][] | undefined) ?? []).flatMap((m) => {
          const o = m[m.length - 1] as { id?: string };
          return typeof o === 'object' && o.id ? [o.id] : [];
        });
        expect(new Set(widgetIds).size).toBe(widgetIds.length);
        for (const m of (w.properties.metrics as unknown[][] | undefined) ?? []) {
          const o = m[m.length - 1] as { expression?: string };
          if (typeof o !== 'object' || !o.expression || o.expression.startsWith('SEARCH')) continue;
          for (const used of o.expression.match(/\b[a-z][a-zA-Z0-9_]*\b/g) ?? []) {
            if (['FILL', 'DIFF', 'DAY'].includes(used)) continue;
            expect(widgetIds).toContain(used);
          }
        }
      }
      expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(1_000_000);
      expect(name).toMatch(/^[a-z-]+$/);
    }
  });

  it('keeps alarms within CloudWatch’s limits and routes each to an SNS topic', () => {
    const all = alarmsOf();
    expect(all.length).toBe(22);
    for (const [id, { Properties: p }] of all) {
      const period =
        (p.Period as number | undefined) ?? (p.Metrics as { MetricStat?: { Period: number } }[])[0]?.MetricStat?.Period;
      expect({ id, period: [10, 30].includes(period ?? 0) || (period ?? 0) % 60 === 0 }).toEqual({ id, period: true });
      expect((period ?? 0) * (p.EvaluationPeriods as number)).toBeLessThanOrEqual(
        (period ?? 0) >= 3600 ? 7 * 86400 : 86400,
      );
      expect((p.AlarmName as string).length).toBeLessThanOrEqual(255);
      expect((p.AlarmDescription as string).length).toBeLessThanOrEqual(1024);
      if (p.Metrics) expect((p.Metrics as unknown[]).length).toBeLessThanOrEqual(10);
      expect(p.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^(Critical|Warning)Topic$/) }]);
      expect(monitoring.Resources[(p.AlarmActions as { Ref: string }[])[0]?.Ref ?? '']?.Type).toBe('AWS::SNS::Topic');
    }
    const critical = all.filter(
      ([, r]) => (r.Properties.AlarmActions as { Ref: string }[])[0]?.Ref === 'CriticalTopic',
    );
    expect(critical.map(([id]) => id).sort()).toEqual(
      ['Down', 'HeartbeatMissing', 'BelowDesired']
        .flatMap((k) => ['SceneGold', 'SceneSilver', 'SceneBronze'].map((svc) => `${svc}${k}`))
        .sort(),
    );
  });

  it('keeps the templates within CloudFormation’s limits', () => {
    for (const file of ['cloudformation/monitoring.json', 'cloudformation/ecs.json']) {
      const t = JSON.parse(read(file)) as { Resources: object };
      expect(Object.keys(t.Resources).length).toBeLessThanOrEqual(500);
      expect(Buffer.byteLength(read(file))).toBeLessThanOrEqual(1_000_000);
    }
  });

  it('gives each task settings the server accepts, a /readyz health check and time to drain', () => {
    const tasks = Object.values(ecs.Resources).filter((r) => r.Type === 'AWS::ECS::TaskDefinition');
    expect(tasks).toHaveLength(3);
    for (const t of tasks) {
      const [c] = t.Properties.ContainerDefinitions as {
        Environment: { Name: string; Value: string }[];
        HealthCheck: { Command: string[] };
        StopTimeout: number;
      }[];
      if (!c) throw new Error('no container');
      const env = Object.fromEntries(c.Environment.map((e) => [e.Name, e.Value]));
      const config = loadConfig(env, '/srv');
      expect(Object.keys(config.metrics.dimensions)).toEqual(PROCESS_DIMENSIONS);
      expect(config.metrics.sink).toBe('emf');
      expect(c.HealthCheck.Command.join(' ')).toContain('/readyz');
      expect(c.StopTimeout * 1000).toBeGreaterThan(config.shutdownTimeoutMs);
    }
  });

  it('tags each service with the scaler that may drive it, and grants the autoscaler only that cluster', () => {
    const services = Object.values(ecs.Resources).filter((r) => r.Type === 'AWS::ECS::Service');
    const tags = services.map((r) => {
      const t = r.Properties.Tags as { Key: string; Value: string }[];
      return [r.Properties.ServiceName, t.find((x) => x.Key === 'stagecraft:scaler')?.Value];
    });
    expect(tags).toEqual(s.services.map((svc) => [svc.name, svc.autoscale ? 'autoscale' : 'none']));
    const policy = ecs.Resources.AutoscalerPolicy?.Properties.PolicyDocument as { Statement: unknown[] };
    const arn = 'arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}';
    expect(policy.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['ecs:DescribeServices', 'ecs:UpdateService'],
        Resource: { 'Fn::Sub': `${arn}:service/${s.cluster}/*` },
      },
      { Effect: 'Allow', Action: 'ecs:DescribeTasks', Resource: { 'Fn::Sub': `${arn}:task/${s.cluster}/*` } },
      {
        Effect: 'Allow',
        Action: 'ecs:ListTasks',
        Resource: '*',
        Condition: { ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': ['Cluster', 'Arn'] } } },
      },
    ]);
  });

  it('plans without AWS and names each bad settings field', () => {
    const plan = infraPlan(s);
    expect(plan).toContain('scene-gold');
    expect(plan).toContain('Alarms (22)');
    expect(plan).toMatch(/scene-gold\s+stagecraft autoscale on gold work \(each task's :2567\/metrics\), 4 per task/);
    const bad = { ...s, services: [{ ...s.services[0], gpus: 0, maxTasks: 0 }, { ...s.services[0] }] };
    expect(() => parseInfraSettings(JSON.stringify(bad), 'prod.json')).toThrow(/prod\.json: services\.0\.maxTasks/);
    try {
      parseInfraSettings(
        JSON.stringify({ ...bad, services: [{ ...s.services[0], gpus: 0 }, s.services[0]] }),
        'prod.json',
      );
    } catch (e) {
      expect((e as Error).message).toBe(
        'prod.json: services.0.gpus: a gold service runs on GPU instances: give 1 or more\nprod.json: services.1.name: scene-gold is given twice',
      );
    }
    expect(() => parseInfraSettings('{', 'x.json')).toThrow(/x\.json: \(file\): not JSON/);
  });
});
