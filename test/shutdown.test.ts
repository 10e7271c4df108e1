import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { openDatabase } from '../server/src/persistence/index.js';
import { RawSceneClient } from './support/raw-client.js';
import { startTestServer } from './support/server.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'stagecraft-shutdown-'));

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('graceful shutdown', () => {
  it('disconnects clients, suspends the scene and flushes the event log before the database closes', async () => {
    const server = await startTestServer({ env: { STAGECRAFT_DATA_DIR: dataDir } });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    const client = await RawSceneClient.join(server.url, { sceneId: 'tavern', name: 'Ada' });
    await client.next('snapshot');
    const left = new Promise<number>((resolve) => client.room.onLeave((code: number) => resolve(code)));
    client.send({ body: { case: 'playerLine', value: { npcId: 'bard', text: 'Play us a song!' } } });
    await client.next('playerLine');
    await server.close();
    expect(await left).toBe(4001);

    const db = await openDatabase({ dataDir });
    try {
      const events = await db.query<{ seq: number; kind: string; payload: { text?: string } }>(
        "select seq, kind, payload from scene_events where scene_id = 'tavern' order by seq",
      );
      const kinds = events.rows.map((e) => e.kind);
      expect(kinds[0]).toBe('scene.created');
      expect(kinds).toContain('client.joined');
      // The tavern has a constraint pack: a shutdown suspends it, to resume on restart.
      expect(kinds.at(-1)).toBe('scene.suspended');
      expect(kinds).toContain('director.snapshot');
      expect(events.rows.find((e) => e.kind === 'player_line')?.payload.text).toBe('Play us a song!');
      expect(events.rows.map((e) => e.seq)).toEqual(events.rows.map((_e, i) => i + 1));
      const scene = await db.query<{ status: string }>("select status from scenes where id = 'tavern'");
      expect(scene.rows[0]?.status).toBe('live');
    } finally {
      await db.close();
    }
  });

  it('refuses to start a second server on a data folder in use, naming the folder and the holder', async () => {
    const first = await startTestServer({ env: { STAGECRAFT_DATA_DIR: dataDir } });
    try {
      await expect(startTestServer({ env: { STAGECRAFT_DATA_DIR: dataDir } })).rejects.toThrow(
        new RegExp(`database folder ${dataDir} is in use by another Stagecraft server \\(pid ${process.pid} on `),
      );
      expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    } finally {
      await first.close();
    }
  });
});
