import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { openDatabase } from '../server/src/persistence/index.js';
import { RawSceneClient } from './support/raw-client.js';
import { REPO_SCENES_DIR, startTestServer, type TestServer } from './support/server.js';

const dir = mkdtempSync(path.join(tmpdir(), 'stagecraft-policy-'));
let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const duel = (id: string, npcs = 1) => ({
  id,
  title: 'Fake',
  cast: Array.from({ length: npcs }, (_v, i) => ({ id: `npc-${i}` })),
});

describe('scene creation policy', () => {
  it('refuses inline scenes when the setting is off, as it is by default', async () => {
    server = await startTestServer();
    await expect(
      RawSceneClient.join(server.url, { sceneId: 'duel', role: 'game', scene: duel('duel') }, 'create'),
    ).rejects.toThrow(/inline scenes are off on this server \(STAGECRAFT_INLINE_SCENES\)/);
  });

  it('lets only the roles it names create one, never under a scene file’s id, within the caps', async () => {
    server = await startTestServer({
      env: { STAGECRAFT_INLINE_SCENES: 'game', STAGECRAFT_INLINE_MAX_CAST: '50', STAGECRAFT_INLINE_PER_CLIENT: '1' },
    });
    for (const role of ['player', 'observer']) {
      await expect(
        RawSceneClient.join(server.url, { sceneId: 'duel', role, scene: duel('duel') }, 'create'),
      ).rejects.toThrow(new RegExp(`a ${role} may not create inline scenes`));
    }
    // A fake room under a scene file's id would catch the real game's joinOrCreate.
    await expect(
      RawSceneClient.join(server.url, { sceneId: 'tavern', role: 'game', scene: duel('tavern') }, 'joinOrCreate'),
    ).rejects.toThrow(/a scene file has the id "tavern"/);
    const game = await RawSceneClient.join(server.url, { sceneId: 'tavern', role: 'game' });
    expect((await game.next('snapshot')).title).toBe('The Rusty Flagon');
    await expect(
      RawSceneClient.join(server.url, { sceneId: 'huge', role: 'game', scene: duel('huge', 51) }, 'create'),
    ).rejects.toThrow(/scene.cast has 51 NPCs; an inline scene may have at most 50 \(STAGECRAFT_INLINE_MAX_CAST\)/);
    const first = await RawSceneClient.join(server.url, { sceneId: 'one', role: 'game', scene: duel('one') }, 'create');
    await first.next('snapshot');
    await expect(
      RawSceneClient.join(server.url, { sceneId: 'two', role: 'game', scene: duel('two') }, 'create'),
    ).rejects.toThrow(/already has 1 inline scenes live \(STAGECRAFT_INLINE_PER_CLIENT\)/);
    await first.leave();
    await game.leave();
  });

  it('caps inline scenes per server', async () => {
    server = await startTestServer({ env: { STAGECRAFT_INLINE_SCENES: 'game', STAGECRAFT_INLINE_PER_SERVER: '1' } });
    const first = await RawSceneClient.join(server.url, { sceneId: 'a', role: 'game', scene: duel('a') }, 'create');
    await expect(
      RawSceneClient.join(server.url, { sceneId: 'b', role: 'game', scene: duel('b') }, 'create'),
    ).rejects.toThrow(/this server already has 1 inline scenes live \(STAGECRAFT_INLINE_PER_SERVER\)/);
    await first.leave();
  });

  it('never lets an inline scene take a suspended scene’s id, so its resume point survives', async () => {
    const scenesDir = path.join(dir, 'scenes');
    const dataDir = path.join(dir, 'data');
    const env = { STAGECRAFT_DATA_DIR: dataDir, STAGECRAFT_INLINE_SCENES: 'game', STAGECRAFT_SCENES_DIR: scenesDir };
    mkdirSync(scenesDir, { recursive: true });
    const tavern = readFileSync(path.join(REPO_SCENES_DIR, 'tavern.yaml'), 'utf8');
    const pack = path.join(REPO_SCENES_DIR, '../constraints/tavern-no-violence.yaml');
    writeFileSync(path.join(scenesDir, 'tavern.yaml'), tavern.replace(/^constraints: .*$/m, `constraints: ${pack}`));
    server = await startTestServer({ scenesDir, env });
    const game = await RawSceneClient.join(server.url, { sceneId: 'tavern', role: 'game' });
    await game.next('snapshot');
    await server.close(); // suspends the tavern: it has a constraint pack
    unlinkSync(path.join(scenesDir, 'tavern.yaml'));
    server = await startTestServer({ scenesDir, env });
    await expect(
      RawSceneClient.join(server.url, { sceneId: 'tavern', role: 'game', scene: duel('tavern') }, 'create'),
    ).rejects.toThrow(/scene "tavern" is suspended and resumes when joined/);
    await server.close();
    server = undefined;
    const db = await openDatabase({ dataDir });
    try {
      const scene = await db.query<{ status: string; title: string }>(
        "select status, title from scenes where id = 'tavern'",
      );
      expect(scene.rows[0]).toEqual({ status: 'live', title: 'The Rusty Flagon' });
      const events = await db.query<{ kind: string }>("select kind from scene_events where scene_id = 'tavern'");
      expect(events.rows.map((e) => e.kind)).toContain('director.snapshot');
    } finally {
      await db.close();
    }
  });
});
