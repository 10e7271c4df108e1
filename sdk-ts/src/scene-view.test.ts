import { describe, expect, it } from '@jest/globals';
import { create, SceneDeltaSchema, SceneSnapshotSchema } from '@stagecraft/protocol';
import { applyDelta, viewFromSnapshot } from './scene-view.js';

const snapshot = create(SceneSnapshotSchema, {
  sceneId: 'camp',
  version: 4,
  phase: 'night',
  cast: [
    { id: 'a', name: 'A' },
    { id: 'b', name: 'B' },
  ],
});

describe('scene view', () => {
  it('applies a delta that follows its version', () => {
    const view = viewFromSnapshot(snapshot);
    const delta = create(SceneDeltaSchema, {
      baseVersion: 4,
      version: 5,
      phase: 'dawn',
      paused: true,
      castUpserts: [{ id: 'a', name: 'A', speaking: true }],
      castRemoved: ['b'],
      clockMs: 1200,
    });
    expect(applyDelta(view, delta)).toBe(true);
    expect(view).toMatchObject({ version: 5, phase: 'dawn', paused: true, clockMs: 1200 });
    expect(view.cast.get('a')?.speaking).toBe(true);
    expect(view.cast.has('b')).toBe(false);
  });

  it('refuses a delta after a gap and leaves the view as it was', () => {
    const view = viewFromSnapshot(snapshot);
    const gap = create(SceneDeltaSchema, { baseVersion: 5, version: 6, phase: 'dawn' });
    expect(applyDelta(view, gap)).toBe(false);
    expect(view.version).toBe(4);
    expect(view.phase).toBe('night');
  });
});
