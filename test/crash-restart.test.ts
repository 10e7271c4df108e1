import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { openDatabase, PgDatabase } from '../server/src/persistence/index.js';
import { WireClient } from './support/wire-client.js';

// A server killed with SIGKILL mid-scene, then started again on the same data folder: what was
// decided before the kill (a phase entered, a once-only line) is never done twice, directive ids
// never repeat, and the director's counters go on. Run on the default PGlite folder, and on
// PostgreSQL (in a throwaway schema) when DATABASE_URL is set.
const root = fileURLToPath(new URL('../', import.meta.url));
const cli = path.join(root, 'server/dist/cli.js');
const built = existsSync(cli);
if (!built) console.warn('crash-restart test skipped: the server is not built (npm run build)');

const PACK = `pack: watch
cast:
  - { id: sentry, role: guard, stance: wary }
timing:
  phases:
    - id: quiet
    - id: alarm
      enter: { after: 1s }
instructions:
  - id: sentry
    who: { npc: sentry }
    aggression: 0.2
    lines:
      - cue: { phase: alarm }
        say: Intruders at the gate!
      - cue: { counter: horns, atLeast: 1 }
        say: Sound the horn!
`;

const dir = mkdtempSync(path.join(tmpdir(), 'stagecraft-crash-'));
const scenes = path.join(dir, 'scenes');
const data = path.join(dir, 'data');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Where the server keeps its data: the env it is started with, and how the test reads it back. */
interface Store {
  name: string;
  env: Record<string, string>;
  open(): ReturnType<typeof openDatabase>;
}

const pglite: Store = {
  name: 'PGlite',
  env: { STAGECRAFT_DATA_DIR: data },
  open: () => openDatabase({ dataDir: data }),
};

function postgres(url: string): Store & { drop(): Promise<void> } {
  const schema = `stagecraft_crash_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = async <T>(work: (db: PgDatabase) => Promise<T>) => {
    const db = await PgDatabase.connect({ url, maxConnections: 1 });
    try {
      return await work(db);
    } finally {
      await db.close();
    }
  };
  return {
    name: 'PostgreSQL',
    env: { DATABASE_URL: url, DATABASE_SCHEMA: schema },
    open: async () => {
      await admin((db) => db.exec(`create schema if not exists "${schema}"`));
      return openDatabase({ url, schema });
    },
    drop: () => admin((db) => db.exec(`drop schema if exists "${schema}" cascade`)),
  };
}

async function start(port: number, store: Store): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.DATABASE_SCHEMA;
  const child = spawn(process.execPath, [cli, 'serve'], {
    env: {
      ...env,
      ...store.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      STAGECRAFT_SCENES_DIR: scenes,
      STAGECRAFT_CACHE_DIR: 'off',
      LOG_LEVEL: 'silent',
    },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not become ready');
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => child.once('exit', () => resolve()));

const url = process.env.DATABASE_URL;
const pg = url ? postgres(url) : undefined;
if (!url) console.warn('crash-restart on PostgreSQL skipped: DATABASE_URL is not set');
afterAll(() => pg?.drop());

describe.each([
  { store: pglite, run: built },
  { store: pg ?? { ...pglite, name: 'PostgreSQL' }, run: built && pg !== undefined },
])('a server killed mid-scene ($store.name)', ({ store, run }) => {
  (run ? it : it.skip)(
    'resumes past what it had done: no phase entered twice, no line said twice, no id repeated',
    async () => {
      // The PostgreSQL schema is created (and migrated) before the server starts on it.
      if (store !== pglite) await (await store.open()).close();
      mkdirSync(scenes, { recursive: true });
      writeFileSync(path.join(scenes, 'watch.pack.yaml'), PACK);
      writeFileSync(
        path.join(scenes, 'watch.yaml'),
        'id: watch\nconstraints: watch.pack.yaml\ncast:\n  - { id: sentry, role: guard }\n',
      );
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;

      const first = await start(port, store);
      const a = await WireClient.join(url, { sceneId: 'watch', role: 'game' });
      await a.next('snapshot');
      for (let i = 0; i < 3; i++) {
        a.send({ requestId: `p${i}`, body: { case: 'proposal', value: { actorId: 'sentry', verb: 'hold' } } });
        await a.next('verdict', (_v, m) => m.requestId === `p${i}`);
      }
      await a.next('delta', (d) => d.phase === 'alarm', 30_000);
      const line = await a.next('directive', (d) => d.say === 'Intruders at the gate!', 30_000);
      first.kill('SIGKILL');
      await exited(first);

      const second = await start(port, store);
      const b = await WireClient.join(url, { sceneId: 'watch', role: 'game' });
      const resumed = await b.next('snapshot');
      expect(resumed.phase).toBe('alarm');
      expect(resumed.director?.verdicts).toBe(3);
      b.send({ requestId: 'q', body: { case: 'proposal', value: { actorId: 'sentry', verb: 'hold' } } });
      await b.next('verdict', (_v, m) => m.requestId === 'q');
      // A line in the second life: its id must not repeat one of the first life's.
      b.send({ body: { case: 'worldReport', value: { counters: { horns: 1 } } } });
      await b.next('directive', (d) => d.say === 'Sound the horn!', 30_000);
      await b.leave();
      second.kill('SIGTERM');
      await exited(second);

      const db = await store.open();
      try {
        const { rows } = await db.query<{ kind: string; payload: unknown }>(
          "select kind, payload from scene_events where scene_id = 'watch' order by seq",
        );
        const phases = rows
          .filter((r) => r.kind === 'phase.entered')
          .map((r) => (r.payload as { phase: string }).phase);
        expect(phases).toEqual(['alarm']);
        const directives = rows.filter((r) => r.kind === 'directives').flatMap((r) => r.payload as { say?: string }[]);
        expect(directives.filter((d) => d.say === 'Intruders at the gate!')).toHaveLength(1);
        const idsOf = (c: WireClient) =>
          c.received.flatMap((m) => (m.body.case === 'directive' ? [m.body.value.directiveId] : []));
        const ids = [...idsOf(a), ...idsOf(b)];
        expect(ids).toContain(line.directiveId);
        expect(idsOf(b).length).toBeGreaterThan(0);
        expect(new Set(ids).size).toBe(ids.length);
      } finally {
        await db.close();
      }
    },
  );
});
