import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PROTOCOL_VERSION } from '@stagecraft/protocol';
import { RawSceneClient } from './support/raw-client.js';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

describe('HTTP endpoints on the scene port', () => {
  it('answers health, readiness and version', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: 'ready', database: 'pglite' });
    const version = (await (await fetch(`${server.url}/version`)).json()) as { protocol: number; version: string };
    expect(version.protocol).toBe(PROTOCOL_VERSION);
    expect(version.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('lists scene files and live scenes', async () => {
    const client = await RawSceneClient.join(server.url, { sceneId: 'tavern' });
    const list = (await (await fetch(`${server.url}/api/scenes`)).json()) as {
      scenes: { id: string; cast: number }[];
      live: { sceneId: string; clients: number }[];
      problems: unknown[];
    };
    expect(list.scenes.map((s) => s.id)).toEqual(expect.arrayContaining(['tavern', 'bridge-ambush']));
    expect(list.problems).toEqual([]);
    expect(list.live).toContainEqual(expect.objectContaining({ sceneId: 'tavern', clients: 1 }));
    await client.leave();
  });

  it('exposes Prometheus metrics for scenes, the event log and voices', async () => {
    const client = await RawSceneClient.join(server.url, { sceneId: 'tavern' });
    const res = await fetch(`${server.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^stagecraft_scenes_live 1$/m);
    expect(text).toMatch(/^stagecraft_scene_clients 1$/m);
    expect(text).toMatch(/^stagecraft_event_log_events\{state="appended"\} [1-9]/m);
    expect(text).toContain('# TYPE stagecraft_tts_first_chunk_ms histogram');
    expect(text).toContain('stagecraft_process_cpu_seconds_total');
    await client.leave();
  });
});
