import type { InfraService, InfraSettings } from './infra-settings.js';
import { metric, processDimensions, search, type WidgetMetric } from './metric-refs.js';
import { type DashboardBody, dashboard, graph, text } from './widgets.js';

/** Metrics Container Insights and ECS publish for each service. */
export const ECS_INSIGHTS = 'ECS/ContainerInsights';
export const AWS_ECS = 'AWS/ECS';
export const AWS_BILLING = 'AWS/Billing';
/** Where the spot-interruption metric filter (monitoring stack) counts EventBridge's warnings. */
export const FLEET_NAMESPACE = 'Stagecraft/Fleet';
export const SPOT_INTERRUPTIONS = 'SpotInterruptions';

function ecs(s: InfraSettings, svc: InfraService) {
  return { ClusterName: s.cluster, ServiceName: svc.name };
}

function perService(s: InfraSettings, build: (svc: InfraService, i: number) => WidgetMetric[]): WidgetMetric[] {
  return s.services.flatMap((svc, i) => build(svc, i));
}

function serviceHealth(s: InfraSettings): DashboardBody {
  const ns = s.namespace;
  const r = s.region;
  return dashboard([
    text(
      `# Stagecraft service health: cluster \`${s.cluster}\`\nTasks, CPU, memory, requests, errors and latency of each service.`,
    ),
    graph(
      'Running tasks',
      perService(s, (svc) => [metric(ECS_INSIGHTS, 'RunningTaskCount', ecs(s, svc))]),
      r,
      {
        stat: 'Minimum',
      },
    ),
    graph(
      'CPU utilisation',
      perService(s, (svc) => [metric(AWS_ECS, 'CPUUtilization', ecs(s, svc))]),
      r,
      {
        unit: '%',
      },
    ),
    graph(
      'Memory utilisation',
      perService(s, (svc) => [metric(AWS_ECS, 'MemoryUtilization', ecs(s, svc))]),
      r,
      {
        unit: '%',
      },
    ),
    graph(
      'HTTP requests by status class',
      [
        {
          expression: search(
            ns,
            'stagecraft_http_requests_total',
            ['ClusterName', 'ServiceName', 'status'],
            { ClusterName: s.cluster },
            'Sum',
            60,
          ),
          id: 'requests',
          label: '',
        },
      ],
      r,
      { stat: 'Sum' },
    ),
    graph(
      'HTTP error rate (5xx share)',
      perService(s, (svc, i) => {
        const d = processDimensions(s, svc);
        const cls = ['2xx', '3xx', '4xx', '5xx'];
        return [
          ...cls.map((c) =>
            metric(
              ns,
              'stagecraft_http_requests_total',
              { ...d, status: c },
              { id: `s${i}c${c[0]}`, visible: false, stat: 'Sum' },
            ),
          ),
          [
            {
              expression: `100 * FILL(s${i}c5, 0) / (FILL(s${i}c2, 0) + FILL(s${i}c3, 0) + FILL(s${i}c4, 0) + FILL(s${i}c5, 0))`,
              label: svc.name,
              id: `e${i}`,
            },
          ],
        ];
      }),
      r,
      { unit: '%', threshold: 5 },
    ),
    graph(
      'HTTP latency p95',
      perService(s, (svc) => [metric(ns, 'stagecraft_http_request_ms', processDimensions(s, svc), { stat: 'p95' })]),
      r,
      { unit: 'ms', threshold: 1000 },
    ),
    graph(
      'Say → first audio chunk p50 / p95',
      perService(s, (svc) => [
        metric(ns, 'stagecraft_tts_first_chunk_ms', processDimensions(s, svc), {
          stat: 'p50',
          label: `${svc.name} p50`,
        }),
        metric(ns, 'stagecraft_tts_first_chunk_ms', processDimensions(s, svc), {
          stat: 'p95',
          label: `${svc.name} p95`,
        }),
      ]),
      r,
      { unit: 'ms' },
    ),
    graph(
      'Event-loop delay p99',
      perService(s, (svc) => [
        metric(ns, 'stagecraft_event_loop_delay_ms', { ...processDimensions(s, svc), stat: 'p99' }),
      ]),
      r,
      { stat: 'Maximum', unit: 'ms' },
    ),
    graph(
      'Verdict and director tick p99',
      perService(s, (svc) => [
        metric(ns, 'stagecraft_verdict_ms', processDimensions(s, svc), { stat: 'p99', label: `${svc.name} verdict` }),
        metric(ns, 'stagecraft_director_tick_ms', processDimensions(s, svc), {
          stat: 'p99',
          label: `${svc.name} director tick`,
        }),
      ]),
      r,
      { unit: 'ms' },
    ),
    graph(
      'Bytes sent to clients, by message kind',
      [
        {
          expression: search(
            ns,
            'stagecraft_media_bytes_total',
            ['ClusterName', 'ServiceName', 'kind'],
            { ClusterName: s.cluster },
            'Sum',
            60,
          ),
          id: 'sent',
          label: '',
        },
      ],
      r,
      { stat: 'Sum', unit: 'bytes' },
    ),
    graph(
      'Scenes and clients',
      perService(s, (svc) => [
        metric(ns, 'stagecraft_scenes_live', processDimensions(s, svc), { stat: 'Sum', label: `${svc.name} scenes` }),
        metric(ns, 'stagecraft_scene_clients', processDimensions(s, svc), {
          stat: 'Sum',
          label: `${svc.name} clients`,
        }),
      ]),
      r,
    ),
    graph(
      'Event-log flush failures (since start)',
      perService(s, (svc) => [
        metric(ns, 'stagecraft_event_log_events', { ...processDimensions(s, svc), state: 'failedFlushes' }),
      ]),
      r,
      { stat: 'Maximum' },
    ),
    graph(
      'Transport errors and unpublished metric values',
      [
        {
          expression: search(
            ns,
            'stagecraft_transport_errors_total',
            ['ClusterName', 'ServiceName', 'kind'],
            { ClusterName: s.cluster },
            'Sum',
            60,
          ),
          id: 'transport',
          label: 'transport errors',
        },
        {
          expression: search(
            ns,
            'stagecraft_metrics_dropped_total',
            ['ClusterName', 'ServiceName', 'reason'],
            { ClusterName: s.cluster },
            'Sum',
            60,
          ),
          id: 'dropped',
          label: 'metric values dropped',
        },
      ],
      r,
      { stat: 'Sum' },
    ),
  ]);
}

function gpuTiers(s: InfraSettings): DashboardBody {
  const ns = s.namespace;
  const r = s.region;
  const where = { ClusterName: s.cluster };
  const gpu = (name: string, title: string, unit: string, threshold?: number, stat = 'Average') =>
    graph(
      title,
      [{ expression: search(ns, name, ['ClusterName', 'ServiceName', 'gpu'], where, stat, 60), id: 'g', label: '' }],
      r,
      {
        unit,
        threshold,
        stat,
      },
    );
  const modelServices = s.services.filter((svc) => svc.modelTiers.length > 0);
  return dashboard([
    text(
      `# Stagecraft GPU tiers: cluster \`${s.cluster}\`\nGPU readings come from nvidia-smi on GPU tasks; CPU tasks publish none.`,
    ),
    gpu('stagecraft_gpu_utilization_percent', 'GPU utilisation', '%', 95),
    gpu('stagecraft_gpu_memory_used_bytes', 'GPU memory in use', 'bytes'),
    gpu('stagecraft_gpu_temperature_celsius', 'GPU temperature', '°C', 85, 'Maximum'),
    gpu('stagecraft_gpu_power_watts', 'GPU power draw', 'W'),
    ...modelServices.flatMap((svc) =>
      svc.modelTiers.map((tier) =>
        graph(
          `Inference (first words) ${tier} on ${svc.name}: p50 / p95 / p99`,
          ['p50', 'p95', 'p99'].map((stat) =>
            metric(
              ns,
              'stagecraft_dialogue_first_token_ms',
              { ...processDimensions(s, svc), tier },
              { stat, label: stat },
            ),
          ),
          r,
          { unit: 'ms', threshold: 500 },
        ),
      ),
    ),
    graph(
      'Dialogue queue depth and work in flight, by tier',
      modelServices.flatMap((svc) =>
        svc.modelTiers.flatMap((tier) => [
          metric(
            ns,
            'stagecraft_dialogue_queue_depth',
            { ...processDimensions(s, svc), tier },
            { stat: 'Sum', label: `${tier} waiting` },
          ),
          metric(
            ns,
            'stagecraft_dialogue_in_flight',
            { ...processDimensions(s, svc), tier },
            { stat: 'Sum', label: `${tier} in flight` },
          ),
        ]),
      ),
      r,
    ),
    graph(
      'Voice syntheses in flight, by tier',
      [
        {
          expression: search(ns, 'stagecraft_tts_in_flight', ['ClusterName', 'ServiceName', 'tier'], where, 'Sum', 60),
          id: 'v',
          label: '',
        },
      ],
      r,
      { stat: 'Sum' },
    ),
    graph(
      'Heartbeats per service (tasks publishing)',
      perService(s, (svc) => [
        metric(ns, 'stagecraft_heartbeat', processDimensions(s, svc), { stat: 'SampleCount', label: svc.name }),
      ]),
      r,
      { stat: 'SampleCount' },
    ),
    graph(
      'Tier fallbacks',
      [
        {
          expression: search(
            ns,
            'stagecraft_tier_fallbacks_total',
            ['ClusterName', 'ServiceName', 'service', 'from', 'to', 'code'],
            where,
            'Sum',
            60,
          ),
          id: 'f',
          label: '',
        },
      ],
      r,
      { stat: 'Sum' },
    ),
  ]);
}

function autoscaling(s: InfraSettings): DashboardBody {
  const r = s.region;
  return dashboard([
    text(
      `# Stagecraft autoscaling: cluster \`${s.cluster}\`\nDesired against running tasks, scale events (changes of the desired count) and spot interruptions.`,
    ),
    ...s.services.map((svc, i) =>
      graph(
        `${svc.name}: desired, running, pending`,
        [
          metric(ECS_INSIGHTS, 'DesiredTaskCount', ecs(s, svc), { id: `d${i}` }),
          metric(ECS_INSIGHTS, 'RunningTaskCount', ecs(s, svc)),
          metric(ECS_INSIGHTS, 'PendingTaskCount', ecs(s, svc)),
        ],
        r,
        { stat: 'Maximum' },
      ),
    ),
    graph(
      'Scale events (change in desired tasks)',
      perService(s, (svc, i) => [
        metric(ECS_INSIGHTS, 'DesiredTaskCount', ecs(s, svc), { id: `m${i}`, visible: false }),
        [{ expression: `DIFF(m${i})`, label: svc.name, id: `c${i}` }],
      ]),
      r,
      { stat: 'Maximum' },
    ),
    graph('Spot interruptions in the region', [metric(FLEET_NAMESPACE, SPOT_INTERRUPTIONS, {})], r, {
      stat: 'Sum',
      period: 3600,
      threshold: 5,
    }),
  ]);
}

function cost(s: InfraSettings): DashboardBody {
  const r = s.region;
  return dashboard([
    text(
      `# Stagecraft cost: cluster \`${s.cluster}\`\nEstimates are running tasks × the task-hour prices in the infra settings; billed figures are AWS/Billing's (us-east-1, with billing alerts on).`,
    ),
    graph(
      'Estimated spend by service and tier, USD/hour',
      perService(s, (svc, i) => [
        metric(ECS_INSIGHTS, 'RunningTaskCount', ecs(s, svc), { id: `n${i}`, visible: false }),
        [
          {
            expression: `n${i} * (${svc.spotShare} * ${svc.spotTaskHourUsd} + ${1 - svc.spotShare} * ${svc.taskHourUsd})`,
            label: `${svc.name} (${svc.tier})`,
            id: `u${i}`,
          },
        ],
      ]),
      r,
      { stat: 'Average', stacked: true },
    ),
    graph(
      'On demand against spot, USD/hour',
      [
        ...perService(s, (svc, i) => [
          metric(ECS_INSIGHTS, 'RunningTaskCount', ecs(s, svc), { id: `t${i}`, visible: false }),
        ]),
        [
          {
            expression: s.services.map((svc, i) => `t${i} * ${1 - svc.spotShare} * ${svc.taskHourUsd}`).join(' + '),
            label: 'on demand',
            id: 'od',
          },
        ],
        [
          {
            expression: s.services.map((svc, i) => `t${i} * ${svc.spotShare} * ${svc.spotTaskHourUsd}`).join(' + '),
            label: 'spot',
            id: 'sp',
          },
        ],
      ],
      r,
      { stacked: true },
    ),
    graph(
      'Billed this month and projected month, USD',
      [
        metric(
          AWS_BILLING,
          'EstimatedCharges',
          { Currency: 'USD' },
          { id: 'bill', region: 'us-east-1', label: 'month to date' },
        ),
        [{ expression: 'bill / DAY(bill) * 30', label: 'projected month', id: 'proj' }],
      ],
      'us-east-1',
      { stat: 'Maximum', period: 21600, threshold: s.monthlySpendUsd },
    ),
  ]);
}

/** The four dashboards of the operations plan, by dashboard name. */
export function dashboards(s: InfraSettings): Record<string, DashboardBody> {
  return {
    'service-health': serviceHealth(s),
    'gpu-tiers': gpuTiers(s),
    autoscaling: autoscaling(s),
    cost: cost(s),
  };
}
