import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ControlAction, Decision, ErrorCode, MessageType, Stance, Tier } from '@stagecraft/protocol';
import { RawSceneClient } from './support/raw-client.js';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
let scenesDir: string;

beforeAll(async () => {
  scenesDir = mkdtempSync(path.join(tmpdir(), 'stagecraft-scenes-'));
  writeFileSync(
    path.join(scenesDir, 'camp.yaml'),
    'id: camp\ntitle: Night camp\ncast:\n  - id: scout\n    tier: bronze\n    stance: wary\n  - id: cook\n',
  );
  writeFileSync(path.join(scenesDir, 'broken.yaml'), 'id: broken\ncast:\n  - id: a\n    tier: platinum\n');
  server = await startTestServer({ scenesDir, env: { STAGECRAFT_INLINE_SCENES: 'game' } });
});

afterAll(async () => {
  await server?.close();
});

describe('scene room', () => {
  it('sends a snapshot of the scene file on join', async () => {
    const c = await RawSceneClient.join(server.url, { sceneId: 'camp', name: 'Ada' });
    const snap = await c.next('snapshot');
    expect(snap.sceneId).toBe('camp');
    expect(snap.title).toBe('Night camp');
    expect(snap.cast.map((m) => [m.id, m.tier, m.stance, m.present])).toEqual([
      ['scout', Tier.BRONZE, Stance.WARY, true],
      ['cook', Tier.SILVER, Stance.NEUTRAL, true],
    ]);
    await c.leave();
  });

  it('refuses an unknown scene with a suggestion, and a broken file with its line and field', async () => {
    await expect(RawSceneClient.join(server.url, { sceneId: 'cmap' })).rejects.toThrow(
      /unknown scene "cmap".*did you mean "camp"/,
    );
    await expect(RawSceneClient.join(server.url, { sceneId: 'broken' })).rejects.toThrow(
      /broken\.yaml:4:11: cast\[0\]\.tier/,
    );
    await expect(RawSceneClient.join(server.url, { sceneId: 'camp', role: 'king' })).rejects.toThrow(/role/);
  });

  it('creates a scene from an inline definition and validates it', async () => {
    const scene = { id: 'duel', cast: [{ id: 'knight', tier: 'gold', stance: 'hostile' }] };
    const c = await RawSceneClient.join(server.url, { sceneId: 'duel', scene, role: 'game' }, 'create');
    expect((await c.next('snapshot')).cast[0]?.tier).toBe(Tier.GOLD);
    await expect(RawSceneClient.join(server.url, { sceneId: 'duel', scene, role: 'game' }, 'create')).rejects.toThrow(
      /scene "duel" is already live/,
    );
    await c.leave();
    await expect(
      RawSceneClient.join(
        server.url,
        { sceneId: 'bad', role: 'game', scene: { id: 'bad', cast: [{ id: 'x', stanse: 'calm' }] } },
        'create',
      ),
    ).rejects.toThrow(/cast\[0\]\.stanse: unknown field \(did you mean "stance"\?\)/);
  });

  it('answers a proposal with a verdict carrying its request id', async () => {
    const c = await RawSceneClient.join(server.url, { sceneId: 'camp', role: 'game' });
    c.send({
      requestId: 'r1',
      body: { case: 'proposal', value: { proposalId: 'p1', actorId: 'scout', verb: 'attack' } },
    });
    const verdict = await c.next('verdict', (_v, m) => m.requestId === 'r1');
    expect(verdict.proposalId).toBe('p1');
    expect(verdict.decision).toBe(Decision.ALLOW);
    c.send({ requestId: 'r2', body: { case: 'proposal', value: { actorId: 'ghost', verb: 'attack' } } });
    const err = await c.next('error', (e) => e.requestId === 'r2');
    expect(err.code).toBe(ErrorCode.UNKNOWN_NPC);
    expect(err.messageType).toBe('ActionProposal');
    expect(err.field).toBe('proposal.actor_id');
    await c.leave();
  });

  it('broadcasts player lines and pause deltas to every client', async () => {
    const a = await RawSceneClient.join(server.url, { sceneId: 'camp', name: 'Ada', role: 'game' });
    const b = await RawSceneClient.join(server.url, { sceneId: 'camp', name: 'Bo' });
    const before = (await b.next('snapshot')).version;
    a.send({ body: { case: 'playerLine', value: { npcId: 'cook', text: '  What is for supper?  ' } } });
    const line = await b.next('playerLine');
    expect(line).toMatchObject({ npcId: 'cook', text: 'What is for supper?', playerId: 'Ada' });
    a.send({ body: { case: 'control', value: { action: ControlAction.PAUSE } } });
    const delta = await b.next('delta', (d) => d.paused === true);
    // The cook's spoken reply may have changed the scene first (its speaking flag).
    expect(delta.baseVersion).toBeGreaterThanOrEqual(before);
    expect(delta.version).toBe(delta.baseVersion + 1);
    a.send({ body: { case: 'control', value: { action: ControlAction.RESUME } } });
    await a.next('delta', (d) => d.paused === false);
    await a.leave();
    await b.leave();
  });

  it('reports bad input to the sender and keeps the scene running', async () => {
    const c = await RawSceneClient.join(server.url, { sceneId: 'camp' });
    c.room.sendBytes(MessageType.CLIENT, new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]));
    expect((await c.next('error')).code).toBe(ErrorCode.BAD_MESSAGE);
    c.room.sendBytes(99, new Uint8Array([1]));
    await c.next('error', (e) => /unknown message type 99/.test(e.message));
    c.send({ requestId: 'long', body: { case: 'playerLine', value: { npcId: 'cook', text: 'a'.repeat(20_001) } } });
    const tooLong = await c.next('error', (e) => e.requestId === 'long');
    expect(tooLong).toMatchObject({
      code: ErrorCode.INVALID_FIELD,
      field: 'player_line.text',
      messageType: 'PlayerLine',
    });
    c.send({ requestId: 'after', body: { case: 'snapshotRequest', value: {} } });
    await c.next('snapshot', (_s, m) => m.requestId === 'after');
    await c.leave();
  });

  it('lets observers watch but not act', async () => {
    const c = await RawSceneClient.join(server.url, { sceneId: 'camp', role: 'observer' });
    c.send({ requestId: 'o1', body: { case: 'playerLine', value: { npcId: 'cook', text: 'hi' } } });
    expect(await c.next('error', (e) => e.requestId === 'o1')).toMatchObject({
      code: ErrorCode.FORBIDDEN,
      recoverable: false,
    });
    await c.leave();
  });

  it('lets a player speak to NPCs but not pause the scene, make NPCs speak, act for them or report the world', async () => {
    const game = await RawSceneClient.join(server.url, { sceneId: 'camp', role: 'game' });
    const p = await RawSceneClient.join(server.url, { sceneId: 'camp', name: 'Ada' });
    await p.next('snapshot');
    const refused = [
      { case: 'control' as const, value: { action: ControlAction.PAUSE } },
      { case: 'say' as const, value: { npcId: 'cook', text: 'Nobody stops me.', interruptible: false } },
      { case: 'proposal' as const, value: { actorId: 'scout', verb: 'attack', targetId: 'player' } },
      { case: 'worldReport' as const, value: { actors: [{ id: 'scout', health: 0, downed: true }] } },
    ];
    for (const [i, body] of refused.entries()) {
      p.send({ requestId: `x${i}`, body });
      expect(await p.next('error', (e) => e.requestId === `x${i}`)).toMatchObject({
        code: ErrorCode.FORBIDDEN,
        recoverable: false,
        message: `a player may not send ${body.case}${body.case === 'proposal' || body.case === 'worldReport' ? ' in this scene (it has no playerActs)' : ''}`,
      });
    }
    p.send({ requestId: 'snap', body: { case: 'snapshotRequest', value: {} } });
    expect((await p.next('snapshot', (_s, m) => m.requestId === 'snap')).paused).toBe(false);
    p.send({ body: { case: 'playerLine', value: { npcId: 'cook', text: 'Smells good.' } } });
    expect(await game.next('playerLine')).toMatchObject({ playerId: 'Ada', text: 'Smells good.' });
    await p.leave();
    await game.leave();
  });
});
