import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Database } from './database.js';
import { SceneStore, SceneStoreError } from './scene-store.js';
import { describeEachDatabase } from './test-support/targets.js';

describeEachDatabase('SceneStore', (target) => {
  let db: Database;
  let store: SceneStore;

  beforeAll(async () => {
    db = await target.open();
    store = new SceneStore(db);
  });

  afterAll(async () => {
    await db?.close();
    await target.dispose();
  });

  it('stores, reads and lists scenes as camelCase records with dates', async () => {
    const definition = { id: 'tavern', cast: [{ id: 'barkeep', tier: 'bronze' }], limits: { minutes: [3, 5] } };
    const created = await store.upsert({ id: 'tavern', title: 'The Tavern', definition, status: 'live' });
    expect(created).toEqual({
      id: 'tavern',
      title: 'The Tavern',
      definition,
      status: 'live',
      createdAt: expect.any(Date),
      updatedAt: expect.any(Date),
    });
    expect(await store.get('tavern')).toEqual(created);
    expect(await store.get('nowhere')).toBeUndefined();
    await store.upsert({ id: 'arena', title: 'Arena', definition: {}, status: 'closed' });
    expect((await store.list()).map((s) => [s.id, s.status])).toEqual([
      ['arena', 'closed'],
      ['tavern', 'live'],
    ]);
  });

  it('replaces a scene on upsert, keeping when it was created', async () => {
    const first = await store.upsert({ id: 'duel', title: 'Duel', definition: { v: 1 }, status: 'live' });
    const second = await store.upsert({ id: 'duel', title: 'Duel at dawn', definition: { v: 2 }, status: 'live' });
    expect(second).toMatchObject({ title: 'Duel at dawn', definition: { v: 2 } });
    expect(second.createdAt).toEqual(first.createdAt);
    expect(second.updatedAt.getTime()).toBeGreaterThanOrEqual(first.updatedAt.getTime());
  });

  it('sets a scene live or closed, and says when there is no such scene', async () => {
    await store.upsert({ id: 'siege', title: 'Siege', definition: {}, status: 'live' });
    expect((await store.setStatus('siege', 'closed')).status).toBe('closed');
    expect((await store.get('siege'))?.status).toBe('closed');
    await expect(store.setStatus('ghost', 'closed')).rejects.toThrow(/scene "ghost": no such scene is stored/);
  });

  it('refuses bad input with a clear error and leaves the stored scene as it was', async () => {
    const kept = await store.upsert({ id: 'keep', title: 'Keep', definition: { ok: true }, status: 'live' });
    await expect(store.upsert({ id: 'keep', title: 'Keep', definition: { n: 1n }, status: 'live' })).rejects.toThrow(
      /cannot store scene "keep": definition is not JSON-serialisable.*BigInt/,
    );
    await expect(
      store.upsert({ id: 'keep', title: 'Keep', definition: {}, status: 'paused' as never }),
    ).rejects.toThrow(/status must be "live" or "closed", not "paused"/);
    await expect(store.setStatus('keep', 'open' as never)).rejects.toThrow(SceneStoreError);
    await expect(store.upsert({ id: '', title: 'x', definition: {}, status: 'live' })).rejects.toThrow(
      /scene id must not be empty/,
    );
    expect(await store.get('keep')).toEqual(kept);
  });
});
