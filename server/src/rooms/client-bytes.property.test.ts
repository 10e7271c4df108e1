import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CLIENT_ROLES, ClientMessageSchema, create, ErrorCode, encodeClientMessage } from '@stagecraft/protocol';
import fc from 'fast-check';
import { ClientMessageError } from './client-error.js';
import { openScene, type SceneHarness } from './test-support/scene-harness.js';
import { decodeClientBytes } from './wire/client-bytes.js';

// Any bytes a client sends get a clear answer (a result, or a ClientMessageError) and leave the
// scene answering; bounded in runs so it stays quick on a busy machine.
let harness: SceneHarness;
beforeAll(async () => {
  harness = await openScene('bridge-ambush', { pack: 'boss-must-lose' });
});
afterAll(() => harness.close());

const ids = fc.constantFrom('', 'player', 'bandit-1', 'bandit-chief', 'ghost');
const message = fc.oneof(
  fc.record({ case: fc.constant('snapshotRequest' as const), value: fc.constant({}) }),
  fc.record({
    case: fc.constant('proposal' as const),
    value: fc.record({
      actorId: ids,
      verb: fc.constantFrom('', 'attack', 'kill', 'flee'),
      targetId: ids,
      amount: fc.double(),
    }),
  }),
  fc.record({
    case: fc.constant('worldReport' as const),
    value: fc.record({
      actors: fc.array(fc.record({ id: ids, health: fc.option(fc.double(), { nil: undefined }) }), { maxLength: 4 }),
    }),
  }),
  fc.record({
    case: fc.constant('control' as const),
    value: fc.record({ action: fc.integer({ min: 0, max: 9 }), npcId: ids }),
  }),
  fc.record({
    case: fc.constant('playerLine' as const),
    value: fc.record({ npcId: ids, text: fc.string({ maxLength: 40 }) }),
  }),
);
/** Real messages, random bytes, and real messages with a byte changed or cut short. */
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  message.map((body) => encodeClientMessage(create(ClientMessageSchema, { requestId: 'f', body }))),
  fc.tuple(message, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([body, at, value]) => {
    const b = encodeClientMessage(create(ClientMessageSchema, { body }));
    if (b.length > 0) b[at % b.length] = value;
    return b.slice(0, 1 + (at % (b.length + 1)));
  }),
);

describe('the ClientMessage decoder and handler, fuzzed', () => {
  it('answers any bytes from any role with a result or a clear error, and the scene goes on', async () => {
    await fc.assert(
      fc.asyncProperty(bytes, fc.constantFrom(...CLIENT_ROLES), async (b, role) => {
        let decoded: ReturnType<typeof decodeClientBytes>;
        try {
          decoded = decodeClientBytes(b);
        } catch (e) {
          expect(e).toBeInstanceOf(ClientMessageError);
          expect((e as ClientMessageError).code).toBe(ErrorCode.BAD_MESSAGE);
          return;
        }
        const { errors } = await harness.send(decoded, { role });
        for (const e of errors) {
          expect(e).toBeInstanceOf(ClientMessageError);
          expect((e as ClientMessageError).message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 400, seed: 20 },
    );
    if (harness.scene.state.isPaused) harness.scene.setPaused(false);
    const { replies } = await harness.send(
      create(ClientMessageSchema, { body: { case: 'snapshotRequest', value: {} } }),
    );
    expect(replies[0]).toMatchObject({
      case: 'snapshot',
      value: expect.objectContaining({ sceneId: 'bridge-ambush' }),
    });
  });
});
