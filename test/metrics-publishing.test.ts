import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { emfProblems } from '../server/src/telemetry/test-support/emf-check.js';
import { FakeAwsEndpoint } from '../server/src/telemetry/test-support/fake-aws-endpoint.js';
import { RawSceneClient } from './support/raw-client.js';
import { startTestServer } from './support/server.js';

const DIMENSIONS = 'ClusterName=test,ServiceName=scene-silver';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'stagecraft-metrics-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the server publishes its metrics', () => {
  it('as EMF lines that follow the specification, with its own dimensions, the last window written at shutdown', async () => {
    const file = path.join(dir, 'metrics.jsonl');
    const server = await startTestServer({
      env: {
        STAGECRAFT_METRICS_SINK: 'emf',
        STAGECRAFT_METRICS_EMF_FILE: file,
        STAGECRAFT_METRICS_DIMENSIONS: DIMENSIONS,
      },
    });
    const client = await RawSceneClient.join(server.url, { sceneId: 'tavern', role: 'game' });
    client.send({
      requestId: 'r1',
      body: {
        case: 'proposal',
        value: { proposalId: 'p1', actorId: 'guard', verb: 'attack', targetId: 'player', amount: 5 },
      },
    });
    await client.next('verdict', (_v, m) => m.requestId === 'r1');
    // Let the director tick (every 100 ms) at least once.
    await new Promise((r) => setTimeout(r, 400));
    expect((await fetch(`${server.url}/version`)).status).toBe(200);
    expect((await fetch(`${server.url}/no-such-page`)).status).toBe(404);
    await server.server.metrics.flush();
    await client.leave();
    await server.close();

    const docs = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const d of docs) expect(emfProblems(d)).toEqual([]);
    const value = (name: string, match: Record<string, string> = {}) =>
      docs.filter((d) => name in d && Object.entries(match).every(([k, v]) => d[k] === v)).map((d) => d[name]);
    expect(value('stagecraft_heartbeat', { ClusterName: 'test', ServiceName: 'scene-silver' })).toEqual([1, 1]);
    expect(value('stagecraft_scenes_live')[0]).toBe(1);
    expect(value('stagecraft_http_requests_total', { status: '2xx' }).length).toBeGreaterThan(0);
    expect(value('stagecraft_http_requests_total', { status: '4xx' })[0]).toBe(1);
    expect(value('stagecraft_event_loop_delay_ms', { stat: 'p99' })).toHaveLength(2);
    expect(docs.every((d) => d.ClusterName === 'test' && d.ServiceName === 'scene-silver')).toBe(true);
    // A histogram's window is a list of observations: one verdict, some director ticks.
    expect(value('stagecraft_verdict_ms').flat()).toHaveLength(1);
    expect(value('stagecraft_director_tick_ms').flat().length).toBeGreaterThan(0);
    const sent = (kind: string) =>
      value('stagecraft_media_bytes_total', { kind }).reduce((a: number, b) => a + Number(b), 0);
    expect(sent('snapshot')).toBeGreaterThan(0);
    expect(sent('verdict')).toBeGreaterThan(0);
  });

  it('to CloudWatch with PutMetricData through the AWS SDK’s own settings (here a stand-in endpoint)', async () => {
    const endpoint = await FakeAwsEndpoint.start();
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_CLOUDWATCH: endpoint.url,
    });
    try {
      const server = await startTestServer({
        env: {
          STAGECRAFT_METRICS_SINK: 'cloudwatch',
          STAGECRAFT_METRICS_NAMESPACE: 'Stagecraft/test',
          STAGECRAFT_METRICS_DIMENSIONS: DIMENSIONS,
        },
      });
      await server.close();
      const request = endpoint.requests[0];
      if (!request) throw new Error('no PutMetricData request arrived');
      expect(request.target).toBe('GraniteServiceVersion20100801.PutMetricData');
      expect(request.body.Namespace).toBe('Stagecraft/test');
      const heartbeat = (
        request.body.MetricData as { MetricName: string; Value?: number; Dimensions: unknown[] }[]
      ).find((d) => d.MetricName === 'stagecraft_heartbeat');
      expect(heartbeat).toMatchObject({
        Value: 1,
        Unit: 'None',
        Dimensions: [
          { Name: 'ClusterName', Value: 'test' },
          { Name: 'ServiceName', Value: 'scene-silver' },
        ],
      });
    } finally {
      process.env = saved;
      await endpoint.close();
    }
  });
});
