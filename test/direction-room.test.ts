import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Decision, DirectorMode, ErrorCode } from '@stagecraft/protocol';
import pg from 'pg';
import { RawSceneClient } from './support/raw-client.js';
import { startTestServer } from './support/server.js';

const scenesDir = mkdtempSync(path.join(tmpdir(), 'stagecraft-direction-'));

// A short siege: the standoff phase ends at 2 s on the scene clock, then the assault begins.
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
      deadline: 2s
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
  await new Promise((r) => setTimeout(r, 2500)); // longer than the deadline: the scene clock must not run while down
  const second = await startTestServer({ scenesDir, env });
  try {
    const b = await RawSceneClient.join(second.url, { sceneId: 'siege', role: 'game' });
    const resumed = await b.next('snapshot');
    expect(resumed.phase).toBe('standoff');
    expect(resumed.director?.nextDeadlineMs).toBe(2000);
    expect(resumed.clockMs).toBeGreaterThanOrEqual(300);
    expect(resumed.clockMs).toBeLessThan(2000);
    const entered = await b.next('delta', (d) => d.phase === 'assault', 5000);
    expect(entered.clockMs).toBeGreaterThanOrEqual(2000);
    expect(entered.clockMs).toBeLessThan(2600);
    await b.leave();
  } finally {
    await second.close();
  }
}

async function playUntilShutdown(url: string): Promise<void> {
  const a = await RawSceneClient.join(url, { sceneId: 'siege', role: 'game' });
  const snap = await a.next('snapshot');
  expect(snap.phase).toBe('standoff');
  expect(snap.director?.mode).toBe(DirectorMode.ACTIVE);
  expect(snap.director?.packId).toBe('short-siege');
  expect(snap.director?.nextDeadlineMs).toBe(2000);

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
