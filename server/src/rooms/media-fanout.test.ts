import type { Client } from '@colyseus/core';
import { describe, expect, it } from '@jest/globals';
import {
  AudioChunkSchema,
  create,
  decodeServerMessage,
  PerformanceEndSchema,
  type ServerMessage,
} from '@stagecraft/protocol';
import { PrometheusMetrics } from '../telemetry/prometheus-metrics.js';
import { MediaFanout, type MediaMessage } from './media-fanout.js';

// Stand-in sockets: this test is about who gets which bytes, not about WebSockets (the live
// tests in test/media-fanout.test.ts use real ones).
interface FakeClient {
  sessionId: string;
  ref: { bufferedAmount: number };
  sent: Uint8Array[];
  enqueueRaw(bytes: Uint8Array): void;
}
function fakeClient(sessionId: string): FakeClient {
  const c: FakeClient = { sessionId, ref: { bufferedAmount: 0 }, sent: [], enqueueRaw: (b) => c.sent.push(b) };
  return c;
}
/** The ServerMessage in a ROOM_DATA_BYTES frame (code, type, then the message). */
const decoded = (bytes: Uint8Array): ServerMessage => decodeServerMessage(bytes.subarray(2));

function setup(count: number) {
  const clients = Array.from({ length: count }, (_, i) => fakeClient(`s${i}`));
  const metrics = new PrometheusMetrics();
  const counters = {
    encoded: metrics.counter<'audio'>({ name: 'encoded_total', help: 'x', labels: ['audio'] }),
    sentBytes: metrics.counter<'kind'>({ name: 'sent_total', help: 'x', labels: ['kind'] }),
    dropped: metrics.counter({ name: 'dropped_total', help: 'x' }),
  };
  let encodes = 0;
  const countingEncoded = {
    inc: (l?: { audio: string }) => {
      encodes++;
      counters.encoded.inc(l);
    },
  };
  const closed: string[] = [];
  const fanout = new MediaFanout(
    () => clients as unknown as Client[],
    { dropBytes: 1000, closeBytes: 5000 },
    { ...counters, encoded: countingEncoded },
    (c) => closed.push(c.sessionId),
  );
  return { clients, fanout, closed, encodes: () => encodes };
}

const chunk = (performanceId: string, seq: number): MediaMessage => {
  const body: ServerMessage['body'] = {
    case: 'audio',
    value: create(AudioChunkSchema, { performanceId, seq, pcm: new Uint8Array(100) }),
  };
  const opus: ServerMessage['body'] = {
    case: 'audio',
    value: create(AudioChunkSchema, { performanceId, seq, opus: [new Uint8Array(10)] }),
  };
  return { npcId: 'mira', performanceId, pcm16: body, opus };
};
const end = (performanceId: string): MediaMessage => {
  const body: ServerMessage['body'] = {
    case: 'performanceEnd',
    value: create(PerformanceEndSchema, { performanceId }),
  };
  return { npcId: 'mira', performanceId, pcm16: body, opus: body, end: true };
};

describe('media fan-out', () => {
  it('encodes each message once per audio format, whatever the number of clients, and writes the same bytes', () => {
    for (const count of [1, 50]) {
      const { clients, fanout, encodes } = setup(count);
      for (const c of clients) fanout.join(c.sessionId, 'pcm16', { all: true });
      fanout.media(chunk('p1', 0));
      fanout.media(end('p1'));
      expect(encodes()).toBe(2);
      const first = clients[0]?.sent[0];
      for (const c of clients) expect(c.sent[0]).toBe(first); // the same buffer, not a copy
    }
    const { clients, fanout, encodes } = setup(4);
    for (const [i, c] of clients.entries()) fanout.join(c.sessionId, i % 2 ? 'opus' : 'pcm16', { all: true });
    fanout.media(chunk('p1', 0));
    expect(encodes()).toBe(2);
    fanout.media(end('p1')); // one body for both formats: one encode
    expect(encodes()).toBe(3);
    expect(decoded(clients[1]?.sent[0] as Uint8Array).body.value).toMatchObject({ opus: [new Uint8Array(10)] });
    expect(decoded(clients[0]?.sent[0] as Uint8Array).body.value).toMatchObject({ pcm: new Uint8Array(100) });
  });

  it('sends an NPC’s media only to the clients subscribed to it, and changes with the subscription', () => {
    const { clients, fanout } = setup(3);
    const [all, none, list] = clients as [FakeClient, FakeClient, FakeClient];
    fanout.join(all.sessionId, 'pcm16', { all: true });
    fanout.join(none.sessionId, 'pcm16', { all: false, npcIds: new Set() });
    fanout.join(list.sessionId, 'pcm16', { all: false, npcIds: new Set(['holt']) });
    expect(fanout.wants('mira', 'pcm16')).toBe(true);
    expect(fanout.wants('mira', 'opus')).toBe(false);
    fanout.media(chunk('p1', 0));
    expect([all.sent.length, none.sent.length, list.sent.length]).toEqual([1, 0, 0]);
    fanout.broadcast({ case: 'ack', value: {} as never });
    expect([all.sent.length, none.sent.length, list.sent.length]).toEqual([2, 1, 1]);
    fanout.subscribe(list.sessionId, { all: false, npcIds: new Set(['mira']) });
    fanout.media(chunk('p1', 1));
    expect(list.sent.length).toBe(2);
  });

  it('drops a slow client’s media for the current line with a notice, still ends it, and sends the next line', () => {
    const { clients, fanout, closed } = setup(2);
    const [slow, fine] = clients as [FakeClient, FakeClient];
    for (const c of clients) fanout.join(c.sessionId, 'pcm16', { all: true });
    fanout.media(chunk('p1', 0));
    slow.ref.bufferedAmount = 2000;
    fanout.media(chunk('p1', 1));
    fanout.media(chunk('p1', 2));
    slow.ref.bufferedAmount = 0;
    fanout.media(chunk('p1', 3));
    fanout.media(end('p1'));
    expect(slow.sent.map((b) => decoded(b).body.case)).toEqual(['audio', 'mediaDropped', 'performanceEnd']);
    expect(decoded(slow.sent[1] as Uint8Array).body.value).toMatchObject({ performanceId: 'p1', bufferedBytes: 2000 });
    expect(fine.sent.length).toBe(5);
    fanout.media(chunk('p2', 0));
    expect(decoded(slow.sent[3] as Uint8Array).body.case).toBe('audio');
    expect(closed).toEqual([]);
  });

  it('closes a client that falls too far behind, once, and stops writing to it', () => {
    const { clients, fanout, closed } = setup(2);
    const [stalled, fine] = clients as [FakeClient, FakeClient];
    for (const c of clients) fanout.join(c.sessionId, 'pcm16', { all: true });
    stalled.ref.bufferedAmount = 6000;
    fanout.media(chunk('p1', 0));
    fanout.broadcast({ case: 'ack', value: {} as never });
    fanout.media(chunk('p1', 1));
    expect(closed).toEqual(['s0']);
    expect(stalled.sent).toEqual([]);
    expect(fine.sent.length).toBe(3);
  });
});
