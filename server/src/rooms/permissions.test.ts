import { afterEach, describe, expect, it } from '@jest/globals';
import {
  CLIENT_ROLES,
  type ClientMessage,
  type ClientMessageKind,
  ClientMessageSchema,
  type ClientRole,
  ControlAction,
  create,
  ErrorCode,
  type MessageInitShape,
} from '@stagecraft/protocol';
import { ClientMessageError } from './client-error.js';
import { PERMISSIONS } from './permissions.js';
import { openScene, type SceneHarness } from './test-support/scene-harness.js';

const msg = (init: MessageInitShape<typeof ClientMessageSchema>): ClientMessage => create(ClientMessageSchema, init);

/** One valid message of every kind, each about an NPC of the tavern. */
const EXAMPLES: Record<ClientMessageKind, ClientMessage> = {
  snapshotRequest: msg({ body: { case: 'snapshotRequest', value: {} } }),
  playerLine: msg({ body: { case: 'playerLine', value: { npcId: 'innkeeper', text: 'Any rooms?' } } }),
  proposal: msg({ body: { case: 'proposal', value: { actorId: 'guard', verb: 'attack', targetId: 'player' } } }),
  worldReport: msg({ body: { case: 'worldReport', value: { actors: [{ id: 'guard', health: 10 }] } } }),
  say: msg({ body: { case: 'say', value: { npcId: 'bard', text: 'La la', interruptible: false } } }),
  control: msg({ body: { case: 'control', value: { action: ControlAction.PAUSE } } }),
  media: msg({ body: { case: 'media', value: { all: false, npcIds: ['bard'] } } }),
};

/** Who may send what, written out as docs/security.md states it. */
const ALLOWED: Record<ClientRole, ClientMessageKind[]> = {
  observer: ['snapshotRequest', 'media'],
  player: ['snapshotRequest', 'media', 'playerLine'],
  game: ['snapshotRequest', 'media', 'playerLine', 'proposal', 'worldReport', 'say', 'control'],
  director: ['snapshotRequest', 'media', 'playerLine', 'proposal', 'worldReport', 'say', 'control'],
};

let harness: SceneHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function outcome(h: SceneHarness, m: ClientMessage, role: ClientRole): Promise<ClientMessageError | undefined> {
  const { errors } = await h.send(m, { role });
  const forbidden = errors.find((e) => e instanceof ClientMessageError && e.code === ErrorCode.FORBIDDEN);
  return forbidden as ClientMessageError | undefined;
}

describe('the permission table', () => {
  it('covers every role and every message kind', () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual([...CLIENT_ROLES].sort());
    for (const role of CLIENT_ROLES)
      expect(Object.keys(PERMISSIONS[role]).sort()).toEqual(Object.keys(EXAMPLES).sort());
  });

  for (const role of CLIENT_ROLES) {
    for (const kind of Object.keys(EXAMPLES) as ClientMessageKind[]) {
      const allowed = ALLOWED[role].includes(kind);
      it(`${allowed ? 'lets' : 'refuses'} a ${role} send ${kind}`, async () => {
        harness = await openScene('tavern');
        const before = harness.records.length;
        const e = await outcome(harness, EXAMPLES[kind], role);
        if (allowed) {
          expect(e).toBeUndefined();
          return;
        }
        expect(e).toMatchObject({ recoverable: false, kind });
        expect(e?.message).toContain(`a ${role} may not send ${kind}`);
        // Refused before anything else looked at it: nothing recorded, broadcast or paused.
        expect(harness.records.length).toBe(before);
        expect(harness.broadcasts).toEqual([]);
        expect(harness.scene.state.isPaused).toBe(false);
        expect(harness.scene.performances.playing).toBe(0);
      });
    }
  }

  it('lets a player act as the player only, in a scene with playerActs, and never set counters', async () => {
    harness = await openScene('bridge-ambush', { pack: 'boss-must-lose', definition: { playerActs: true } });
    const own = msg({ body: { case: 'proposal', value: { actorId: 'player', verb: 'attack', targetId: 'bandit-1' } } });
    expect(await outcome(harness, own, 'player')).toBeUndefined();
    const report = msg({ body: { case: 'worldReport', value: { actors: [{ id: 'player', health: 40 }] } } });
    expect(await outcome(harness, report, 'player')).toBeUndefined();
    const forNpc = msg({ body: { case: 'proposal', value: { actorId: 'bandit-1', verb: 'flee' } } });
    expect(await outcome(harness, forNpc, 'player')).toMatchObject({ field: 'proposal.actor_id' });
    // A forged report that downs the boss would end the battle.
    const forged = msg({
      body: {
        case: 'worldReport',
        value: {
          actors: [
            { id: 'player', health: 40 },
            { id: 'bandit-chief', health: 0 },
          ],
        },
      },
    });
    const e = await outcome(harness, forged, 'player');
    expect(e).toMatchObject({ field: 'world_report.actors[1].id' });
    expect(e?.message).toBe('a player may send worldReport about "player" only, not "bandit-chief"');
    const counters = msg({ body: { case: 'worldReport', value: { counters: { waves_cleared: 9 } } } });
    expect(await outcome(harness, counters, 'player')).toMatchObject({ field: 'world_report.counters' });
    expect(harness.records.map((r) => r.kind)).not.toContain('scene.resolved');
  });

  it('refuses a player acting even as the player in a scene without playerActs', async () => {
    harness = await openScene('bridge-ambush', { pack: 'boss-must-lose' });
    const report = msg({
      body: { case: 'worldReport', value: { actors: [{ id: 'player', health: 0, downed: true }] } },
    });
    const e = await outcome(harness, report, 'player');
    expect(e?.message).toBe('a player may not send worldReport in this scene (it has no playerActs)');
    expect(harness.records.map((r) => r.kind)).not.toContain('scene.resolved');
  });
});
