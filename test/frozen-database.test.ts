import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@stagecraft/protocol';
import { openDatabase, PgDatabase } from '../server/src/persistence/index.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { WireClient } from './support/wire-client.js';

// The server in its own process on PostgreSQL behind a proxy the test can freeze (as SIGSTOP
// does to the database server) or make refuse connections: /readyz still answers, SIGTERM still
// ends the process, and events are written if the database comes back within the shutdown time,
// or the exit code and a loud log line say they were not.
const root = fileURLToPath(new URL('../', import.meta.url));
const cli = path.join(root, 'server/dist/cli.js');
const url = process.env.DATABASE_URL;
const run = url !== undefined && existsSync(cli);
if (!run) console.warn('frozen-database tests skipped: they need DATABASE_URL and a built server (npm run build)');
const maybe = run ? it : it.skip;

const schema = `stagecraft_frozen_${process.pid}_${randomBytes(4).toString('hex')}`;
let proxy: TcpProxy;
let proxiedUrl: string;

async function admin<T>(work: (db: PgDatabase) => Promise<T>): Promise<T> {
  const db = await PgDatabase.connect({ url: url ?? '', maxConnections: 1 });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  if (!run || !url) return;
  await admin((db) => db.exec(`create schema if not exists "${schema}"`));
  await (await openDatabase({ url, schema })).close(); // migrated before the server starts
  const target = new URL(url);
  proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
  target.host = `127.0.0.1:${proxy.port}`;
  proxiedUrl = target.toString();
});

afterAll(async () => {
  if (!run) return;
  await proxy?.close();
  await admin((db) => db.exec(`drop schema if exists "${schema}" cascade`));
});

interface Server {
  child: ChildProcess;
  base: string;
  /** Every JSON log line so far. */
  lines: Record<string, unknown>[];
  exit: Promise<number | null>;
}

async function start(extra: Record<string, string> = {}): Promise<Server> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  const child = spawn(process.execPath, [cli, 'serve'], {
    env: {
      ...env,
      DATABASE_URL: proxiedUrl,
      DATABASE_SCHEMA: schema,
      DATABASE_STATEMENT_TIMEOUT_MS: '1000',
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      STAGECRAFT_SHUTDOWN_TIMEOUT_MS: '3000',
      PORT: '0',
      HOST: '127.0.0.1',
      STAGECRAFT_CACHE_DIR: 'off',
      LOG_LEVEL: 'info',
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const text = rest + chunk.toString();
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) {
      try {
        lines.push(JSON.parse(p) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const listening = lines.find((l) => l.msg === 'listening');
    if (listening) return { child, base: String(listening.url), lines, exit };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not start');
}

/** A game client in the tavern, joined while the database answers. */
async function joinGame(base: string): Promise<WireClient> {
  const game = await WireClient.join(base, { sceneId: 'tavern', role: 'game' });
  await game.next('snapshot');
  return game;
}

/** Plays a few verdicts, each an event for the log; resolves once they are answered. */
async function play(game: WireClient, n: number, server: Server): Promise<void> {
  for (let i = 0; i < n; i++) {
    game.send({ requestId: `p${i}`, body: { case: 'proposal', value: { actorId: 'guard', verb: 'wave' } } });
    // Generous for a busy machine; on failure, say what the server last logged.
    await game
      .next('verdict', (_v, m) => m.requestId === `p${i}`, 30_000)
      .catch((e: Error) => {
        const tail = server.lines.slice(-8).map((l) => JSON.stringify(l));
        throw new Error(`${e.message}; the server last logged:\n${tail.join('\n')}`);
      });
  }
}

async function storedVerdicts(): Promise<number> {
  const db = await openDatabase({ url: url ?? '', schema });
  try {
    const { rows } = await db.query<{ n: number }>(
      "select count(*)::int as n from scene_events where scene_id = 'tavern' and kind = 'verdict'",
    );
    return rows[0]?.n ?? 0;
  } finally {
    await db.close();
  }
}

describe('a database that stops answering', () => {
  maybe(
    'keeps /readyz answering 503 and SIGTERM bounded, exiting 1 with a loud line for unwritten events',
    async () => {
      proxy.open();
      const server = await start();
      try {
        expect((await fetch(`${server.base}/readyz`)).status).toBe(200);
        const game = await joinGame(server.base);
        proxy.freeze();
        await play(game, 5, server);
        const ready = await fetch(`${server.base}/readyz`, { signal: AbortSignal.timeout(10_000) });
        expect(ready.status).toBe(503);
        expect(((await ready.json()) as { reason: string }).reason).toMatch(/^database: /);
        server.child.kill('SIGTERM');
        // Generous for a busy machine: the bound is 3 s to drain and 3 s to write.
        const code = await Promise.race([server.exit, new Promise((r) => setTimeout(() => r('hung'), 60_000))]);
        expect(code).toBe(1);
        const loud = server.lines.find((l) => l.event === 'event_log.unwritten');
        expect(loud).toMatchObject({ level: 'fatal' });
        expect(Number(loud?.unwritten)).toBeGreaterThanOrEqual(5);
        expect(String(loud?.msg)).toMatch(/^EVENTS UNWRITTEN: event log closed with \d+ events unwritten/);
      } finally {
        server.child.kill('SIGKILL');
        proxy.open();
      }
    },
    120_000,
  );

  maybe(
    'retries the last write on SIGTERM while the database refuses connections, and writes it once it is back',
    async () => {
      proxy.open();
      const before = await storedVerdicts();
      const server = await start();
      try {
        const game = await joinGame(server.base);
        proxy.refuse();
        await play(game, 4, server);
        server.child.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 1000));
        proxy.open();
        const code = await Promise.race([server.exit, new Promise((r) => setTimeout(() => r('hung'), 60_000))]);
        expect(code).toBe(0);
        expect(server.lines.find((l) => l.event === 'event_log.unwritten')).toBeUndefined();
        expect(await storedVerdicts()).toBe(before + 4);
      } finally {
        server.child.kill('SIGKILL');
        proxy.open();
      }
    },
    120_000,
  );

  maybe(
    'applies back-pressure when events pile up: client writes refused, not ready, then back to normal',
    async () => {
      proxy.open();
      const server = await start({ STAGECRAFT_EVENT_BUFFER: '100' });
      try {
        const game = await joinGame(server.base);
        proxy.freeze();
        let refused: { code: number; message: string } | undefined;
        for (let i = 0; i < 100 && !refused; i++) {
          game.send({ requestId: `b${i}`, body: { case: 'proposal', value: { actorId: 'guard', verb: 'wave' } } });
          const mine = (_v: unknown, m: { requestId: string }) => m.requestId === `b${i}`;
          const verdict = game.nextMessage('verdict', mine);
          const error = game.next('error', mine);
          verdict.catch(() => {});
          error.catch(() => {});
          const first = await Promise.race([verdict.then(() => undefined), error]);
          if (first) refused = first;
        }
        expect(refused).toMatchObject({
          code: ErrorCode.RATE_LIMITED,
          message: 'the server is waiting for its database to catch up; send this again shortly',
        });
        const ready = await fetch(`${server.base}/readyz`);
        expect(ready.status).toBe(503);
        expect(((await ready.json()) as { reason: string }).reason).toMatch(
          /^event log: \d+ events wait for the database$/,
        );
        proxy.open();
        const deadline = Date.now() + 30_000;
        while ((await fetch(`${server.base}/readyz`)).status !== 200 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 200));
        }
        expect((await fetch(`${server.base}/readyz`)).status).toBe(200);
        game.send({ requestId: 'again', body: { case: 'proposal', value: { actorId: 'guard', verb: 'wave' } } });
        await game.next('verdict', (_v, m) => m.requestId === 'again');
        server.child.kill('SIGTERM');
        expect(await server.exit).toBe(0);
      } finally {
        server.child.kill('SIGKILL');
        proxy.open();
      }
    },
    120_000,
  );
});
