import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { connect } from '@stagecraft/sdk';
import { scenesCommand } from '../server/src/cli/scenes-command.js';
import { startTestServer, type TestServer } from './support/server.js';

// scenes/ and constraints/ side by side, as in the repository.
const root = mkdtempSync(path.join(tmpdir(), 'stagecraft-reload-'));
const scenes = path.join(root, 'scenes');
const packs = path.join(root, 'constraints');
mkdirSync(scenes);
mkdirSync(packs);
const SCENE = `id: duel
constraints: ../constraints/duel.yaml
cast:
  - { id: vesna, role: boss, faction: bandits, stance: hostile }
`;
const pack = (cap: number) => `pack: duel
rules: [{ id: cap-${cap}, kind: damage_cap, who: { npc: vesna }, perHit: ${cap} }]
`;

let server: TestServer;
beforeAll(async () => {
  writeFileSync(path.join(scenes, 'duel.yaml'), SCENE);
  writeFileSync(path.join(packs, 'duel.yaml'), pack(10));
  server = await startTestServer({ scenesDir: scenes });
}, 60_000);
afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

interface SceneList {
  scenes: { id: string }[];
  problems: { file: string; problems: string[]; keptPrevious?: boolean }[];
  reloads: number;
}
const reload = async () =>
  (await (await fetch(`${server.url}/api/scenes/reload`, { method: 'POST' })).json()) as SceneList;

async function join() {
  return connect(server.url).joinScene('duel', { role: 'game', name: 'engine' });
}
type Live = Awaited<ReturnType<typeof join>>;
const capRule = async (scene: Live) =>
  (await scene.propose({ actorId: 'vesna', verb: 'attack', targetId: 'player', amount: 50 })).ruleId;

/** Leaves and waits until the scene has closed, so the next join creates it afresh. */
async function leave(scene: Live): Promise<void> {
  await scene.leave();
  for (let i = 0; i < 200; i++) {
    const list = (await (await fetch(`${server.url}/api/scenes`)).json()) as { live: { sceneId: string }[] };
    if (!list.live.some((l) => l.sceneId === 'duel')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the scene did not close');
}

describe('reloading scene files while designing', () => {
  it('applies a good pack to scenes created after the reload; a live scene keeps its pack until it closes', async () => {
    const live = await join();
    expect(await capRule(live)).toBe('cap-10');
    writeFileSync(path.join(packs, 'duel.yaml'), pack(20));
    const list = await reload();
    expect(list.problems).toEqual([]);
    expect(list.reloads).toBe(1);
    expect(await capRule(live)).toBe('cap-10');
    await leave(live);
    const fresh = await join();
    expect(await capRule(fresh)).toBe('cap-20');
    await leave(fresh);
  }, 60_000);

  it('keeps the previous version of a scene whose pack now has errors, and says where, relative to the scenes folder', async () => {
    writeFileSync(path.join(packs, 'duel.yaml'), 'pack: duel\nrules: [{ id: r, kind: forbid, actions: [flea] }]\n');
    const list = await reload();
    expect(list.scenes.map((s) => s.id)).toEqual(['duel']);
    expect(list.problems).toEqual([
      {
        file: 'duel.yaml',
        keptPrevious: true,
        problems: [
          expect.stringMatching(
            /^\.\.\/constraints\/duel\.yaml:2:\d+: rules\[0\]\.actions\[0\]: unknown action "flea"/,
          ),
        ],
      },
    ]);
    expect(JSON.stringify(list.problems)).not.toContain(root);
    expect(JSON.stringify(list.problems)).not.toContain('../../');
    const scene = await join();
    expect(await capRule(scene)).toBe('cap-20');
    await leave(scene);
  }, 60_000);

  it('reports a broken scene file without a previous version as not loaded', async () => {
    writeFileSync(path.join(scenes, 'new.yaml'), 'id: new\ncast: [{ id: a, stanse: wary }]\n');
    const list = await reload();
    const entry = list.problems.find((p) => p.file === 'new.yaml');
    expect(entry?.keptPrevious).toBeUndefined();
    expect(entry?.problems[0]).toMatch(
      /^new\.yaml:2:\d+: cast\[0\]\.stanse: unknown field \(did you mean "stance"\?\)$/,
    );
  });

  it('is asked for by `stagecraft scenes reload`, which lists what did not load', async () => {
    let out = '';
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((t) => {
      out += String(t);
      return true;
    });
    try {
      await scenesCommand().exitOverride().parseAsync(['reload', '--url', server.url], { from: 'user' });
    } finally {
      spy.mockRestore();
    }
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
    expect(out).toMatch(
      /^scenes: duel\nduel\.yaml: not loaded \(its previous version stays in use\)\n {2}\.\.\/constraints\/duel\.yaml:2:/,
    );
    expect(out).toContain('new.yaml: not loaded\n  new.yaml:2:');
  });
});

describe('watching scene files (STAGECRAFT_WATCH_SCENES=1)', () => {
  const root2 = mkdtempSync(path.join(tmpdir(), 'stagecraft-watch-'));
  const scenes2 = path.join(root2, 'scenes');
  const packs2 = path.join(root2, 'constraints');
  let watched: TestServer;
  beforeAll(async () => {
    mkdirSync(scenes2);
    mkdirSync(packs2);
    writeFileSync(path.join(scenes2, 'duel.yaml'), SCENE);
    writeFileSync(path.join(packs2, 'duel.yaml'), pack(10));
    watched = await startTestServer({ scenesDir: scenes2, env: { STAGECRAFT_WATCH_SCENES: '1' } });
  }, 60_000);
  afterAll(async () => {
    await watched?.close();
    rmSync(root2, { recursive: true, force: true });
  });

  async function until(test: (l: SceneList) => boolean): Promise<SceneList> {
    for (let i = 0; i < 400; i++) {
      const list = (await (await fetch(`${watched.url}/api/scenes`)).json()) as SceneList;
      if (test(list)) return list;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('no reload seen in 20 s');
  }

  it('reloads by itself when a pack changes, keeping the previous version when it has errors', async () => {
    writeFileSync(path.join(packs2, 'duel.yaml'), 'pack: duel\nrules: [{ id: r, kind: forbid, actions: [flea] }]\n');
    const list = await until((l) => l.problems.length > 0);
    expect(list.reloads).toBeGreaterThanOrEqual(1);
    expect(list.problems[0]).toMatchObject({ file: 'duel.yaml', keptPrevious: true });
    writeFileSync(path.join(packs2, 'duel.yaml'), pack(30));
    await until((l) => l.problems.length === 0);
  }, 60_000);
});
