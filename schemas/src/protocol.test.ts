import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Decision } from './gen/stagecraft/v1/direction_pb.js';
import { EndReason } from './gen/stagecraft/v1/performance_pb.js';
import { decodeClientMessage, decodeServerMessage, encodeClientMessage, encodeServerMessage } from './protocol.js';

describe('wire codec', () => {
  it('round-trips an audio chunk with its PCM bytes intact', () => {
    const pcm = new Uint8Array([1, 2, 3, 250, 0, 7]);
    const bytes = encodeServerMessage({
      body: {
        case: 'audio',
        value: { performanceId: 'p1', seq: 3, startMs: 60, durationMs: 20, sampleRate: 22050, pcm, final: true },
      },
    });
    const decoded = decodeServerMessage(bytes);
    expect(decoded.body.case).toBe('audio');
    if (decoded.body.case !== 'audio') return;
    expect(decoded.body.value.seq).toBe(3);
    expect(decoded.body.value.startMs).toBe(60);
    expect(Array.from(decoded.body.value.pcm)).toEqual(Array.from(pcm));
    expect(decoded.body.value.final).toBe(true);
  });

  it('round-trips verdicts and performance ends with their enums', () => {
    const verdict = decodeServerMessage(
      encodeServerMessage({
        requestId: 'r9',
        body: {
          case: 'verdict',
          value: {
            proposalId: 'x',
            decision: Decision.REWRITE,
            ruleId: 'cap-damage',
            rewritten: { verb: 'attack', amount: 10 },
          },
        },
      }),
    );
    expect(verdict.requestId).toBe('r9');
    expect(verdict.body.case === 'verdict' && verdict.body.value.rewritten?.amount).toBe(10);
    const end = decodeServerMessage(
      encodeServerMessage({ body: { case: 'performanceEnd', value: { reason: EndReason.INTERRUPTED } } }),
    );
    expect(end.body.case === 'performanceEnd' && end.body.value.reason).toBe(EndReason.INTERRUPTED);
  });

  it('round-trips any proposal', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.double({ noNaN: true }),
        fc.dictionary(fc.string(), fc.string()),
        (actor, verb, amount, params) => {
          const msg = decodeClientMessage(
            encodeClientMessage({ body: { case: 'proposal', value: { actorId: actor, verb, amount, params } } }),
          );
          expect(msg.body.case).toBe('proposal');
          if (msg.body.case !== 'proposal') return;
          expect(msg.body.value.actorId).toBe(actor);
          expect(msg.body.value.verb).toBe(verb);
          expect(Object.is(msg.body.value.amount, amount) || msg.body.value.amount === amount).toBe(true);
          expect(msg.body.value.params).toEqual(params);
        },
      ),
    );
  });

  it('rejects bytes that are not a message', () => {
    expect(() => decodeClientMessage(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]))).toThrow();
  });
});
