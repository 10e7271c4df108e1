import { afterEach, describe, expect, it } from '@jest/globals';
import {
  type ClientMessage,
  ClientMessageSchema,
  ControlAction,
  create,
  Decision,
  EMOTION,
  ErrorCode,
  LIMITS,
  type MessageInitShape,
} from '@stagecraft/protocol';
import { ClientMessageError } from './client-error.js';
import { openScene, type SceneHarness } from './test-support/scene-harness.js';
import { decodeClientBytes } from './wire/client-bytes.js';

const msg = (init: MessageInitShape<typeof ClientMessageSchema>): ClientMessage => create(ClientMessageSchema, init);
const kinds = (bodies: { case?: string }[]) => bodies.map((b) => b.case);

/** The one ClientMessageError a handling produced. */
function errorOf(errors: unknown[]): ClientMessageError {
  expect(errors).toHaveLength(1);
  const [e] = errors;
  if (!(e instanceof ClientMessageError)) throw new Error(`expected a ClientMessageError, got ${String(e)}`);
  return e;
}

let harness: SceneHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('client messages, handled without a server', () => {
  it('answers a proposal with the pack’s verdict, naming the rule, and logs it', async () => {
    harness = await openScene('tavern', { pack: 'tavern-no-violence' });
    const proposal = { proposalId: 'p1', actorId: 'guard', verb: 'attack', targetId: 'player', amount: 10 };
    const { replies, errors } = await harness.send(
      msg({ requestId: 'r1', body: { case: 'proposal', value: proposal } }),
    );
    expect(errors).toEqual([]);
    expect(replies).toEqual([
      {
        case: 'verdict',
        value: expect.objectContaining({ proposalId: 'p1', decision: Decision.VETO, ruleId: 'no-violence' }),
      },
    ]);
    expect(harness.records.map((r) => r.kind)).toContain('verdict');
  });

  it('keeps judging by the engine once the battle is over: nothing can change the outcome', async () => {
    harness = await openScene('bridge-ambush', { pack: 'boss-must-lose' });
    const downed = { actors: [{ id: 'player', health: 0, downed: true }] };
    expect((await harness.send(msg({ body: { case: 'worldReport', value: downed } }))).errors).toEqual([]);
    expect(harness.records.map((r) => r.kind)).toContain('scene.resolved');
    const kill = { proposalId: 'k', actorId: 'bandit-chief', verb: 'kill', targetId: 'player', amount: 500 };
    const { replies } = await harness.send(msg({ body: { case: 'proposal', value: kill } }));
    expect(replies[0]).toEqual({
      case: 'verdict',
      value: expect.objectContaining({ decision: Decision.VETO, ruleId: 'outcome.player-alive' }),
    });
  });

  it('allows every proposal of a scene without a constraint pack, saying why', async () => {
    harness = await openScene('tavern');
    const proposal = { proposalId: 'p2', actorId: 'guard', verb: 'attack', targetId: 'player', amount: 10 };
    const { replies } = await harness.send(msg({ body: { case: 'proposal', value: proposal } }));
    expect(replies[0]).toEqual({
      case: 'verdict',
      value: expect.objectContaining({
        decision: Decision.ALLOW,
        reason: 'no constraint pack is loaded for this scene',
      }),
    });
  });

  it('names the field of a bad proposal and lists the cast for an unknown NPC', async () => {
    harness = await openScene('tavern');
    const unknown = errorOf(
      (await harness.send(msg({ body: { case: 'proposal', value: { actorId: 'gaurd', verb: 'x' } } }))).errors,
    );
    expect(unknown).toMatchObject({
      code: ErrorCode.UNKNOWN_NPC,
      field: 'proposal.actor_id',
      messageType: 'ActionProposal',
    });
    expect(unknown.message).toContain('innkeeper, guard, bard');
    const noVerb = errorOf(
      (await harness.send(msg({ body: { case: 'proposal', value: { actorId: 'guard' } } }))).errors,
    );
    expect(noVerb).toMatchObject({ code: ErrorCode.INVALID_FIELD, field: 'proposal.verb' });
    const amount = { actorId: 'guard', verb: 'attack', amount: Number.NaN };
    const nan = errorOf((await harness.send(msg({ body: { case: 'proposal', value: amount } }))).errors);
    expect(nan).toMatchObject({ field: 'proposal.amount' });
  });

  it('transcribes a player line to everyone and refuses one over the limit, storing nothing', async () => {
    harness = await openScene('tavern');
    await harness.send(msg({ body: { case: 'playerLine', value: { npcId: 'innkeeper', text: '  Any rooms?  ' } } }));
    expect(harness.broadcasts).toEqual([
      {
        case: 'playerLine',
        value: expect.objectContaining({ npcId: 'innkeeper', text: 'Any rooms?', playerId: 'Ada' }),
      },
    ]);
    const recorded = harness.records.length;
    const long = { npcId: 'innkeeper', text: 'a'.repeat(LIMITS.playerLineChars + 1) };
    const e = errorOf((await harness.send(msg({ body: { case: 'playerLine', value: long } }))).errors);
    expect(e).toMatchObject({ code: ErrorCode.INVALID_FIELD, field: 'player_line.text' });
    expect(harness.records.length).toBe(recorded);
    expect(harness.broadcasts).toHaveLength(1);
  });

  it('names the actor and field of a world report with a non-finite or negative value', async () => {
    harness = await openScene('bridge-ambush', { pack: 'boss-must-lose' });
    const bad = {
      actors: [
        { id: 'player', health: 50 },
        { id: 'bandit-chief', health: Number.POSITIVE_INFINITY },
      ],
    };
    const e = errorOf((await harness.send(msg({ body: { case: 'worldReport', value: bad } }))).errors);
    expect(e).toMatchObject({ field: 'world_report.actors[1].health', messageType: 'WorldReport' });
    const negative = { actors: [{ id: 'player', health: -1 }] };
    expect(errorOf((await harness.send(msg({ body: { case: 'worldReport', value: negative } }))).errors)).toMatchObject(
      {
        field: 'world_report.actors[0]',
      },
    );
  });

  it('pauses and resumes the scene for everyone: a delta, then the control echoed', async () => {
    harness = await openScene('tavern');
    await harness.send(msg({ body: { case: 'control', value: { action: ControlAction.PAUSE } } }));
    expect(harness.scene.state.isPaused).toBe(true);
    expect(kinds(harness.broadcasts)).toEqual(['delta', 'control']);
    const pausedAt = harness.scene.clockMs();
    await new Promise((r) => setTimeout(r, 30));
    expect(harness.scene.clockMs()).toBe(pausedAt);
    await harness.send(msg({ body: { case: 'control', value: { action: ControlAction.RESUME } } }));
    expect(harness.scene.state.isPaused).toBe(false);
    const missing = errorOf((await harness.send(msg({ body: { case: 'control', value: {} } }))).errors);
    expect(missing).toMatchObject({ field: 'control.action' });
  });

  it('refuses a Say with an enum value it does not know, or with no text', async () => {
    harness = await openScene('tavern');
    const glee = { npcId: 'bard', text: 'Hello', emotion: 99 };
    const e = errorOf((await harness.send(msg({ body: { case: 'say', value: glee } }))).errors);
    expect(e).toMatchObject({ code: ErrorCode.INVALID_FIELD, field: 'say.emotion', messageType: 'Say' });
    expect(e.message).toContain('neutral, joy');
    const empty = errorOf(
      (await harness.send(msg({ body: { case: 'say', value: { npcId: 'bard', text: '  ' } } }))).errors,
    );
    expect(empty).toMatchObject({ field: 'say.text' });
    const intensity = { npcId: 'bard', text: 'Hi', emotion: EMOTION.toWire('joy'), intensity: 2 };
    expect(errorOf((await harness.send(msg({ body: { case: 'say', value: intensity } }))).errors)).toMatchObject({
      field: 'say.intensity',
    });
  });

  it('answers a snapshot request with the scene’s state, and a message without a body as BAD_MESSAGE', async () => {
    harness = await openScene('tavern');
    const { replies } = await harness.send(msg({ body: { case: 'snapshotRequest', value: {} } }));
    expect(replies[0]).toEqual({
      case: 'snapshot',
      value: expect.objectContaining({ sceneId: 'tavern', title: 'The Rusty Flagon' }),
    });
    expect(errorOf((await harness.send(msg({}))).errors)).toMatchObject({ code: ErrorCode.BAD_MESSAGE });
  });

  it('reports bytes that are not a ClientMessage as BAD_MESSAGE', () => {
    expect(() => decodeClientBytes(new Uint8Array([0xff, 0xff, 0xff]))).toThrow(
      expect.objectContaining({ code: ErrorCode.BAD_MESSAGE }),
    );
  });
});
