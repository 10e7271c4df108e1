// `stagecraft autoscale` with the real AWS SDK for ECS against a loopback endpoint that speaks
// ECS's JSON protocol, and tiers' work read from real Prometheus text served over HTTP.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { dialogueMetrics } from '../engines/dialogue/dialogue-metrics.js';
import { Autoscaler, type RoundReport, runAutoscaler } from '../infra/autoscale/autoscaler.js';
import { DEFAULT_INFRA_SETTINGS, type InfraSettings } from '../infra/infra-settings.js';
import { PrometheusMetrics } from '../telemetry/prometheus-metrics.js';
import {
  type AwsRequest,
  awsError,
  FakeAwsEndpoint,
  fakeClientConfig,
} from '../telemetry/test-support/fake-aws-endpoint.js';
import { autoscaleCommand } from './autoscale-command.js';

const ECS_TARGET = 'AmazonEC2ContainerServiceV20141113';

interface FakeService {
  desiredCount: number;
  runningCount: number;
  scaler?: string;
  /** Private addresses of its running tasks. */
  tasks?: string[];
}

/** ECS as far as the autoscaler uses it: DescribeServices and UpdateService on one cluster. */
class FakeEcs {
  services = new Map<string, FakeService>();
  throttle = 0;
  constructor(readonly cluster: string) {}

  answer = (req: AwsRequest) => {
    if (this.throttle > 0) {
      this.throttle--;
      return awsError('ThrottlingException', 'Rate exceeded');
    }
    const body = req.body as {
      cluster: string;
      services?: string[];
      service?: string;
      serviceName?: string;
      tasks?: string[];
      desiredCount?: number;
    };
    if (body.cluster !== this.cluster) return awsError('ClusterNotFoundException', 'Cluster not found.');
    if (req.target === `${ECS_TARGET}.DescribeServices`) {
      const names = body.services ?? [];
      return {
        body: {
          services: names
            .filter((n) => this.services.has(n))
            .map((n) => {
              const s = this.services.get(n) as FakeService;
              return {
                serviceName: n,
                status: 'ACTIVE',
                desiredCount: s.desiredCount,
                runningCount: s.runningCount,
                pendingCount: 0,
                tags: s.scaler ? [{ key: 'stagecraft:scaler', value: s.scaler }] : [],
              };
            }),
          failures: names
            .filter((n) => !this.services.has(n))
            .map((n) => ({
              arn: `arn:aws:ecs:us-east-1:123456789012:service/${this.cluster}/${n}`,
              reason: 'MISSING',
            })),
        },
      };
    }
    if (req.target === `${ECS_TARGET}.ListTasks`) {
      const s = this.services.get(body.serviceName ?? '');
      if (!s) return awsError('ServiceNotFoundException', 'Service not found.');
      return {
        body: {
          taskArns: (s.tasks ?? []).map((_, i) => `arn:aws:ecs:us-east-1:123456789012:task/${this.cluster}/t${i}`),
        },
      };
    }
    if (req.target === `${ECS_TARGET}.DescribeTasks`) {
      const all = [...this.services.values()].flatMap((s) => s.tasks ?? []);
      return {
        body: {
          tasks: (body.tasks ?? []).map((arn) => {
            const address = all[Number(arn.split('/t').pop())] ?? '';
            return {
              taskArn: arn,
              lastStatus: 'RUNNING',
              attachments: [
                { type: 'ElasticNetworkInterface', details: [{ name: 'privateIPv4Address', value: address }] },
              ],
            };
          }),
        },
      };
    }
    if (req.target === `${ECS_TARGET}.UpdateService`) {
      const s = this.services.get(body.service ?? '');
      if (!s) return awsError('ServiceNotFoundException', 'Service not found.');
      s.desiredCount = body.desiredCount ?? s.desiredCount;
      return { body: { service: { serviceName: body.service, desiredCount: s.desiredCount } } };
    }
    return awsError('InvalidAction', `unexpected ${req.target}`);
  };
}

let endpoint: FakeAwsEndpoint;
let metricsServer: http.Server;
let metricsUrl: string;
let prometheus: PrometheusMetrics;
let metricsDown = false;
let ecs: FakeEcs;
let dir: string;
let out = '';
let err = '';
const savedEnv = { ...process.env };

beforeAll(async () => {
  endpoint = await FakeAwsEndpoint.start();
  metricsServer = http.createServer(async (_req, res) => {
    if (metricsDown) {
      res.writeHead(503).end('draining');
      return;
    }
    res.writeHead(200, { 'content-type': prometheus.contentType }).end(await prometheus.text());
  });
  await new Promise<void>((r) => metricsServer.listen(0, '127.0.0.1', r));
  metricsUrl = `http://127.0.0.1:${(metricsServer.address() as AddressInfo).port}/metrics`;
});
afterAll(async () => {
  await endpoint.close();
  metricsServer.closeAllConnections();
  await new Promise((r) => metricsServer.close(r));
});

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'stagecraft-autoscale-'));
  out = '';
  err = '';
  metricsDown = false;
  endpoint.requests.length = 0;
  process.exitCode = 0;
  // The SDK's own settings, as an operator would set them; the endpoint is the loopback stand-in.
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_ECS: endpoint.url,
  });
  ecs = new FakeEcs('test');
  ecs.services.set('scene-gold', { desiredCount: 1, runningCount: 1, scaler: 'autoscale' });
  ecs.services.set('scene-silver', { desiredCount: 3, runningCount: 3, scaler: 'autoscale' });
  ecs.services.set('scene-bronze', { desiredCount: 1, runningCount: 1, scaler: 'none' });
  endpoint.answerWith(ecs.answer);
  // Gold has 14 requests of work (4 per task: 4 tasks); silver 9, within the band of its 3 tasks.
  prometheus = new PrometheusMetrics();
  const d = dialogueMetrics(prometheus);
  d.queueDepth.set(12, { tier: 'gold' });
  d.inFlight.set(2, { tier: 'gold' });
  d.queueDepth.set(4, { tier: 'silver' });
  d.inFlight.set(5, { tier: 'silver' });
  jest.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
});
afterEach(() => {
  jest.restoreAllMocks();
  process.exitCode = 0;
  process.env = { ...savedEnv };
  rmSync(dir, { recursive: true, force: true });
});

function settings(change: (s: InfraSettings) => void = () => {}): string {
  const s: InfraSettings = structuredClone({ ...DEFAULT_INFRA_SETTINGS, cluster: 'test' });
  for (const svc of s.services)
    if (svc.autoscale) {
      svc.autoscale.metricsUrls = [metricsUrl];
      delete svc.autoscale.taskMetricsPort;
    }
  change(s);
  const file = path.join(dir, 'infra.json');
  writeFileSync(file, JSON.stringify(s));
  return file;
}

async function run(...args: string[]): Promise<number> {
  await autoscaleCommand().exitOverride().parseAsync(args, { from: 'user' });
  return Number(process.exitCode ?? 0);
}

const targets = () => endpoint.requests.map((r) => r.target.replace(`${ECS_TARGET}.`, ''));
const row = (service: string) => out.split('\n').find((l) => l.startsWith(service)) ?? '';

describe('stagecraft autoscale', () => {
  it('--dry-run --once prints each tier’s decision and changes nothing', async () => {
    expect(await run('--settings', settings(), '--dry-run', '--once')).toBe(0);
    expect(targets()).toEqual(['DescribeServices']);
    const [describe] = endpoint.requests;
    expect(describe?.contentType).toBe('application/x-amz-json-1.1');
    expect(describe?.body).toEqual({
      cluster: 'test',
      services: ['scene-gold', 'scene-silver', 'scene-bronze'],
      include: ['TAGS'],
    });
    expect(out).toContain('dry run: nothing applied');
    expect(out).toMatch(
      /^service\s+tiers\s+waiting\s+in flight\s+per task\s+running\s+desired\s+next\s+action\s+reason$/m,
    );
    expect(row('scene-gold')).toMatch(
      /^scene-gold\s+gold\s+12\s+2\s+4\s+1\s+1\s+4\s+up \(dry run\)\s+14 work needs 4 at 4 per task$/,
    );
    expect(row('scene-silver')).toMatch(/^scene-silver\s+silver\s+4\s+5\s+4\s+3\s+3\s+3\s+hold\s+within band$/);
    expect(row('scene-bronze')).toMatch(/skipped\s+tagged stagecraft:scaler=none, not autoscale/);
    expect(ecs.services.get('scene-gold')?.desiredCount).toBe(1);
  });

  it('--once applies a change with UpdateService', async () => {
    expect(await run('--settings', settings(), '--once')).toBe(0);
    expect(targets()).toEqual(['DescribeServices', 'UpdateService']);
    expect(endpoint.requests[1]?.body).toEqual({ cluster: 'test', service: 'scene-gold', desiredCount: 4 });
    expect(ecs.services.get('scene-gold')?.desiredCount).toBe(4);
    expect(row('scene-gold')).toMatch(/\s4\s+up\s+14 work/);
  });

  it('reports a service the cluster lacks, and one that vanished before UpdateService, and exits 1', async () => {
    ecs.services.delete('scene-silver');
    const answer = ecs.answer;
    endpoint.answerWith((req) => {
      if (req.target.endsWith('.UpdateService')) ecs.services.delete('scene-gold');
      return answer(req);
    });
    expect(await run('--settings', settings(), '--once')).toBe(1);
    expect(row('scene-silver')).toMatch(/error\s+not found in cluster test \(MISSING\)/);
    expect(row('scene-gold')).toMatch(/error\s+up to 4 failed: ServiceNotFoundException/);
    expect(out).toContain('problem: scene-silver: not found in cluster test (MISSING)');
    expect(out).toContain('problem: scene-gold: ECS UpdateService: ServiceNotFoundException: Service not found.');
  });

  it('holds a service whose tasks’ metrics do not answer, naming the URL', async () => {
    metricsDown = true;
    expect(await run('--settings', settings(), '--once')).toBe(1);
    expect(targets()).toEqual(['DescribeServices']);
    expect(row('scene-gold')).toMatch(/hold\s+no work reading/);
    expect(out).toContain(`problem: ${metricsUrl}: answered 503`);
  });

  it('names the settings file and field when there is nothing to drive or no work to read', async () => {
    const none = settings((s) => {
      for (const svc of s.services) delete svc.autoscale;
    });
    expect(await run('--settings', none, '--once')).toBe(2);
    expect(err).toBe(`${none}: services: no service has an autoscale block, so there is nothing to drive\n`);
    err = '';
    const noUrl = settings((s) => {
      if (s.services[1]?.autoscale) s.services[1].autoscale.metricsUrls = [];
    });
    expect(await run('--settings', noUrl, '--once')).toBe(2);
    expect(err).toContain(
      `${noUrl}: services.1.autoscale: no taskMetricsPort, no metricsUrls and no --metrics URL: scene-silver has no work reading`,
    );
    err = '';
    const bad = settings((s) => {
      (s.services[0] as { autoscale: unknown }).autoscale = { workPerTask: -1, scaleDownAt: 2 };
    });
    expect(await run('--settings', bad, '--once')).toBe(2);
    expect(err).toContain(`${bad}: services.0.autoscale.workPerTask:`);
    expect(err).toContain(`${bad}: services.0.autoscale.scaleDownAt:`);
    expect(endpoint.requests).toEqual([]);
  });

  it('reads each running task’s /metrics at its private address and port', async () => {
    ecs.services.set('scene-gold', { desiredCount: 1, runningCount: 1, scaler: 'autoscale', tasks: ['127.0.0.1'] });
    const port = Number(new URL(metricsUrl).port);
    const file = settings((s) => {
      for (const svc of s.services)
        if (svc.autoscale) {
          svc.autoscale.metricsUrls = [];
          svc.autoscale.taskMetricsPort = port;
        }
    });
    expect(await run('--settings', file, '--once', '--dry-run')).toBe(0);
    // Bronze is tagged for another scaler, so its tasks are not listed.
    expect(targets()).toEqual(['DescribeServices', 'ListTasks', 'DescribeTasks', 'ListTasks']);
    expect(endpoint.requests[1]?.body).toEqual({
      cluster: 'test',
      serviceName: 'scene-gold',
      desiredStatus: 'RUNNING',
    });
    expect(endpoint.requests[2]?.body).toEqual({
      cluster: 'test',
      tasks: ['arn:aws:ecs:us-east-1:123456789012:task/test/t0'],
    });
    expect(row('scene-gold')).toMatch(/\s12\s+2\s+4\s+1\s+1\s+4\s+up \(dry run\)/);
    // Silver has no running task to read: its count holds.
    expect(row('scene-silver')).toMatch(/hold\s+no running task to read$/);
  });

  it('backs off while ECS throttles, then carries on', async () => {
    ecs.throttle = 2;
    const file = settings();
    const s = JSON.parse(readFileSync(file, 'utf8')) as InfraSettings;
    const client = new ECSClient(fakeClientConfig(endpoint));
    const autoscaler = new Autoscaler({ settings: s, ecs: client });
    const stop = new AbortController();
    const seen: { report: RoundReport; nextInMs: number }[] = [];
    await runAutoscaler(autoscaler, {
      intervalMs: 20,
      signal: stop.signal,
      random: () => 1,
      onRound: (report, nextInMs) => {
        seen.push({ report, nextInMs });
        if (report.rows.some((r) => r.applied) || seen.length > 5) stop.abort();
      },
    });
    client.destroy();
    expect(seen.map((x) => x.nextInMs)).toEqual([40, 80, 20]);
    expect(seen[0]?.report.problems).toEqual([
      'cluster test: ECS DescribeServices: ThrottlingException: Rate exceeded',
    ]);
    expect(seen[0]?.report.rows.every((r) => r.action === 'error' && r.reason === 'ThrottlingException')).toBe(true);
    expect(seen[2]?.report.rows.find((r) => r.service === 'scene-gold')).toMatchObject({ applied: true, next: 4 });
    expect(ecs.services.get('scene-gold')?.desiredCount).toBe(4);
  });
});
