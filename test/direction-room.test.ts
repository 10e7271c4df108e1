import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Decision, DirectorMode, ErrorCode } from '@stagecraft/protocol';
import pg from 'pg';
import { openDatabase } from '../server/src/persistence/index.js';
import { RawSceneClient } from './support/raw-client.js';
import { startTestServer } from './support/server.js';

const scenesDir = mkdtempSync(path.join(tmpdir(), 'stagecraft-direction-'));

// A short siege: the standoff phase ends at 3 s on the scene clock, then the assault begins.
const PACK = `
pack: short-siege
scene: siege
cast:
  - { id: captain, role: boss, faction: raiders, stance: hostile, health: 200 }
  - { id: raider, role: grunt, faction: raiders, stance: hostile, health: 50 }
outcome:
  player: lose
  mayDie: false
timing:
  maxDuration: 5m
  atMax: lose
  phases:
    - id: standoff
      deadline: 3s
      atDeadline: { goto: assault }
    - id: assault
participation:
  - npc: captain
    mustSurvive: true
rules:
  - id: captain-cap
    kind: damage_cap
    who: { npc: captain }
    target: player
    perHit: 15
  - id: no-running
    kind: forbid
    who: { role: grunt }
    actions: [flee]
`;

beforeAll(() => {
  writeFileSync(path.join(scenesDir, 'siege.pack.yaml'), PACK);
  writeFileSync(
    path.join(scenesDir, 'siege.yaml'),
    'id: siege\nconstraints: siege.pack.yaml\ncast:\n  - { id: captain, role: boss, faction: raiders }\n  - { id: raider, role: grunt, faction: raiders }\n',
  );
});

afterAll(() => rmSync(scenesDir, { recursive: true, force: true }));

async function restoreAcrossRestart(env: Record<string, string>): Promise<void> {
  const first = await startTestServer({ scenesDir, env });
  try {
    await playUntilShutdown(first.url);
  } finally {
    await first.close(); // the standoff deadline is still pending
  }
  const suspendedAtMs = await snapshotClockMs(env);
  const downMs = 3500; // longer than what is left of the deadline: the scene clock must not run while down
  await new Promise((r) => setTimeout(r, downMs));
  const second = await startTestServer({ scenesDir, env });
  try {
    const b = await RawSceneClient.join(second.url, { sceneId: 'siege', role: 'game' });
    const resumed = await b.next('snapshot');
    expect(resumed.phase).toBe('standoff');
    expect(resumed.director?.nextDeadlineMs).toBe(3000);
    // The clock goes on from the last snapshot; the downtime is not on it.
    expect(resumed.clockMs).toBeGreaterThanOrEqual(suspendedAtMs);
    expect(resumed.clockMs - suspendedAtMs).toBeLessThan(downMs);
    const entered = await b.next('delta', (d) => d.phase === 'assault', 10_000);
    // Not early: the delta's clock is floored to the ms, and a Node timer may fire up to 1 ms early.
    expect(entered.clockMs).toBeGreaterThanOrEqual(2999);
    // Generous for a busy machine: the re-armed deadline fires on time, not a downtime late.
    expect(entered.clockMs - 3000).toBeLessThan(downMs);
    await b.leave();
  } finally {
    await second.close();
  }
}

/** The scene clock of the director's last snapshot (where a restart resumes), from the event log. */
async function snapshotClockMs(env: Record<string, string>): Promise<number> {
  const db = env.DATABASE_URL
    ? await openDatabase({ url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA })
    : await openDatabase({ dataDir: env.STAGECRAFT_DATA_DIR });
  try {
    const { rows } = await db.query<{ payload: { clockMs: number } }>(
      "select payload from scene_events where scene_id = 'siege' and kind = 'director.snapshot' order by seq desc limit 1",
    );
    const at = rows[0]?.payload.clockMs;
    if (at === undefined) throw new Error('the director left no snapshot');
    return at;
  } finally {
    await db.close();
  }
}

async function playUntilShutdown(url: string): Promise<void> {
  const a = await RawSceneClient.join(url, { sceneId: 'siege', role: 'game' });
  const snap = await a.next('snapshot');
  expect(snap.phase).toBe('standoff');
  expect(snap.director?.mode).toBe(DirectorMode.ACTIVE);
  expect(snap.director?.packId).toBe('short-siege');
  expect(snap.director?.nextDeadlineMs).toBe(3000);

  a.send({
    requestId: 'hit',
    body: { case: 'proposal', value: { actorId: 'captain', verb: 'attack', targetId: 'player', amount: 40 } },
  });
  const clamped = await a.next('verdict', (_v, m) => m.requestId === 'hit');
  expect(clamped).toMatchObject({ decision: Decision.REWRITE, ruleId: 'captain-cap' });
  expect(clamped.rewritten?.amount).toBe(15);
  a.send({ requestId: 'run', body: { case: 'proposal', value: { actorId: 'raider', verb: 'flee' } } });
  expect((await a.next('verdict', (_v, m) => m.requestId === 'run')).decision).not.toBe(Decision.ALLOW);

  a.send({
    requestId: 'bad',
    body: { case: 'worldReport', value: { actors: [{ id: 'captain', health: Number.NaN }] } },
  });
  expect(await a.next('error', (e) => e.requestId === 'bad')).toMatchObject({
    code: ErrorCode.INVALID_FIELD,
    field: 'world_report.actors[0].health',
  });
  a.send({ body: { case: 'worldReport', value: { actors: [{ id: 'player', health: 90 }] } } });

  await new Promise((r) => setTimeout(r, 300));
}

describe('scene direction in the room', () => {
  it('judges proposals by the pack and restores the director with its deadline after a restart (PGlite)', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'stagecraft-restore-'));
    try {
      await restoreAcrossRestart({ STAGECRAFT_DATA_DIR: dataDir });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  const url = process.env.DATABASE_URL;
  if (!url) console.warn('PostgreSQL restore test skipped: DATABASE_URL is not set');
  (url ? it : it.skip)('restores the director with its deadline after a restart (PostgreSQL)', async () => {
    const schema = `stagecraft_restore_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    try {
      await restoreAcrossRestart({ DATABASE_URL: url ?? '', DATABASE_SCHEMA: schema });
    } finally {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  });
});
