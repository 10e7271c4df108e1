import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { RawSceneClient } from './support/raw-client.js';
import { startTestServer, type TestServer } from './support/server.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const KEY = 'operator-key-that-is-long-enough-0123456789';
const dir = mkdtempSync(path.join(tmpdir(), 'stagecraft-http-'));
let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers });

describe('HTTP behind the operator key', () => {
  it('closes /api/* to anonymous requests on a server with join tokens and no operator key', async () => {
    server = await startTestServer({ env: { STAGECRAFT_JWT_SECRET: SECRET } });
    const res = await get(`${server.url}/api/scenes`);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(/has no STAGECRAFT_OPERATOR_KEY/);
    expect((await get(`${server.url}/healthz`)).status).toBe(200);
    expect((await get(`${server.url}/metrics`)).status).toBe(200);
  });

  it('answers /api/* and, when set so, /metrics only with the operator key', async () => {
    server = await startTestServer({
      env: { STAGECRAFT_JWT_SECRET: SECRET, STAGECRAFT_OPERATOR_KEY: KEY, STAGECRAFT_METRICS_AUTH: 'key' },
    });
    for (const route of ['/api/scenes', '/metrics']) {
      expect((await get(`${server.url}${route}`)).status).toBe(401);
      expect((await get(`${server.url}${route}`, { authorization: `Bearer ${KEY}x` })).status).toBe(401);
      expect((await get(`${server.url}${route}`, { authorization: `Bearer ${KEY}` })).status).toBe(200);
    }
    expect((await get(`${server.url}/readyz`)).status).toBe(200);
  });
});

describe('CORS', () => {
  it('answers only configured origins, and never reflects another with credentials', async () => {
    server = await startTestServer({ env: { STAGECRAFT_CORS_ORIGINS: 'https://game.example.com' } });
    const ok = await get(`${server.url}/version`, { origin: 'https://game.example.com' });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://game.example.com');
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    for (const method of ['GET', 'OPTIONS']) {
      const evil = await fetch(`${server.url}/matchmake/joinOrCreate/scene`, {
        method,
        headers: { origin: 'https://evil.example.net' },
      });
      expect(evil.headers.get('access-control-allow-origin')).toBeNull();
      expect(evil.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });
});

describe('responses', () => {
  it('never show absolute paths, and refuse a file over the size limit without parsing it', async () => {
    const scenesDir = path.join(dir, 'scenes');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(scenesDir, { recursive: true });
    writeFileSync(path.join(scenesDir, 'broken.yaml'), 'id: broken\ncast:\n  - id: a\n    tier: platinum\n');
    writeFileSync(path.join(scenesDir, 'nopack.yaml'), 'id: nopack\nconstraints: missing.yaml\ncast:\n  - id: a\n');
    writeFileSync(path.join(scenesDir, 'huge.yaml'), `# ${'x'.repeat(3 * 1024 * 1024)}\nid: huge\ncast: []\n`);
    server = await startTestServer({ scenesDir });
    const list = (await (await get(`${server.url}/api/scenes`)).json()) as { problems: unknown[] };
    expect(list.problems).toEqual([
      { file: 'broken.yaml', problems: [expect.stringMatching(/^broken\.yaml:4:11: cast\[0\]\.tier/)] },
      {
        file: 'huge.yaml',
        problems: [
          'huge.yaml:1:1: the file has 3,145,749 bytes; the limit is 2,097,152 (split it, or move the cast into several scenes)',
        ],
      },
      { file: 'nopack.yaml', problems: ['constraints: cannot read missing.yaml: no such file'] },
    ]);
    expect(JSON.stringify(list)).not.toContain(dir);
    await expect(RawSceneClient.join(server.url, { sceneId: 'nopack' })).rejects.toThrow(
      /^constraints: cannot read missing\.yaml: no such file$/,
    );
  });
});
