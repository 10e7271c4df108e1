import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ControlAction, CUE_KIND, ErrorCode, INTENT, LIMITS } from '@stagecraft/protocol';
import { espeakAvailability } from '../server/src/engines/tts/espeak-engine.js';
import { capturedLogger, startTestServer, type TestServer } from './support/server.js';
import { FRAME, WireClient } from './support/wire-client.js';

// Server behaviour a native client relies on, checked over a bare WebSocket (not the SDK).
const espeak = espeakAvailability();
if (!espeak.ok) console.warn(`protocol tests that speak skipped: espeak-ng is not installed (${espeak.reason})`);
const speaking = espeak.ok ? it : it.skip;

const LONG_LINE =
  'Listen closely, traveller, because the road to the northern pass is long and cold and full of wolves, ' +
  'and the bridge at the river has fallen, so you will need to find the ford below the old mill before dark.';

describe('wire protocol, over a bare WebSocket', () => {
  let server: TestServer;
  const log = capturedLogger();
  const consoleError = jest.spyOn(console, 'error');

  beforeAll(async () => {
    server = await startTestServer({
      logger: log.logger,
      env: {
        STAGECRAFT_MAX_MESSAGES_PER_SECOND: '50',
        STAGECRAFT_MAX_BYTES_PER_SECOND: '200000',
        STAGECRAFT_RECONNECT_SECONDS: '30',
      },
    });
  });
  afterAll(async () => {
    consoleError.mockRestore();
    await server?.close();
  });

  it('closes a client over the message rate at once with 4002, logs it once, and refuses its reconnection', async () => {
    const client = await WireClient.join(server.url, { sceneId: 'tavern', role: 'game', name: 'flood' });
    await client.next('snapshot');
    const started = performance.now();
    for (let i = 0; i < 200; i++) client.send({ body: { case: 'snapshotRequest', value: {} } });
    const { code } = await client.closed;
    expect(code).toBe(4002);
    // Generous for a busy machine, and far below the 30 s the seat would otherwise be held.
    expect(performance.now() - started).toBeLessThan(10_000);
    const closedLines = log.lines.filter((l) => l.event === 'client.closed');
    expect(closedLines).toHaveLength(1);
    expect(closedLines[0]).toMatchObject({ code: 4002, reason: 'more than 50 messages in a second' });
    await expect(WireClient.connect(server.url, client.seat, client.token)).rejects.toThrow(/closed before joining/);
  });

  it('closes a client over the byte rate with 4002 while another scene goes on, and counts it', async () => {
    const other = await WireClient.join(server.url, { sceneId: 'bridge-ambush', role: 'game' });
    await other.next('snapshot');
    const flood = await WireClient.join(server.url, { sceneId: 'tavern', role: 'game', name: 'bytes' });
    await flood.next('snapshot');
    // 1,500 actors with long ids: about 75 kB a report, far under the message rate.
    const actors = Array.from({ length: 1500 }, (_v, i) => ({ id: `actor-${i}-${'x'.repeat(30)}`, health: 50 }));
    for (let i = 0; i < 5; i++) flood.send({ body: { case: 'worldReport', value: { actors } } });
    expect((await flood.closed).code).toBe(4002);
    const line = log.lines.find((l) => l.event === 'client.closed' && l.reason !== 'more than 50 messages in a second');
    expect(line).toMatchObject({ code: 4002, reason: 'more than 200000 bytes in a second' });
    other.send({ requestId: 'alive', body: { case: 'snapshotRequest', value: {} } });
    await other.nextMessage('snapshot', (_v, m) => m.requestId === 'alive');
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^stagecraft_clients_closed_total\{reason="bytes"\} 1$/m);
    await other.leave();
  });

  it('refuses a world report with more actors than the limit, naming the field', async () => {
    const game = await WireClient.join(server.url, { sceneId: 'bridge-ambush', role: 'game' });
    await game.next('snapshot');
    const actors = Array.from({ length: LIMITS.worldReportActors + 1 }, (_v, i) => ({ id: `a${i}` }));
    game.send({ requestId: 'big', body: { case: 'worldReport', value: { actors } } });
    const e = await game.next('error', (_v, m) => m.requestId === 'big');
    expect(e).toMatchObject({
      code: ErrorCode.INVALID_FIELD,
      field: 'world_report.actors',
      messageType: 'WorldReport',
    });
    expect(e.message).toBe(`world_report.actors has 2001 entries; the limit is 2000 (send several reports)`);
    await game.leave();
  });

  it('logs an oversized frame and malformed requests as rate-limited JSON lines, never stack traces, and counts them', async () => {
    const big = await WireClient.join(server.url, { sceneId: 'tavern', role: 'game' });
    await big.next('snapshot');
    big.sendRaw(new Uint8Array(LIMITS.frameBytes + 1024).fill(FRAME.ROOM_DATA_BYTES, 0, 1));
    expect((await big.closed).code).toBe(1009);

    const bad = await WireClient.join(server.url, { sceneId: 'tavern', role: 'game' });
    await bad.next('snapshot');
    // ROOM_REQUEST frames whose body is not msgpack, slower than the message-rate limit.
    for (let i = 0; i < 40; i++) {
      bad.sendRaw(new Uint8Array([FRAME.ROOM_REQUEST, 0x01, 0xa1, 0x78, 0xc1, 0xc1, 0xc1]));
      if (i % 20 === 19) await new Promise((r) => setTimeout(r, 1100));
    }
    bad.send({ requestId: 'alive', body: { case: 'snapshotRequest', value: {} } });
    await bad.nextMessage('snapshot', (_v, m) => m.requestId === 'alive');
    const transport = log.lines.filter((l) => l.event === 'transport.error');
    expect(transport.length).toBeGreaterThanOrEqual(1);
    expect(transport.length).toBeLessThanOrEqual(4);
    for (const line of transport) expect(String(line.msg)).not.toMatch(/\n/);
    expect(consoleError).not.toHaveBeenCalled();
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const counted = [...metrics.matchAll(/^stagecraft_transport_errors_total\{kind="[^"]+"\} (\d+)/gm)];
    expect(counted.reduce((n, m) => n + Number(m[1]), 0)).toBeGreaterThanOrEqual(41);
    await bad.leave();
  });

  it('answers every request with its id: a verdict, an ack, or an error', async () => {
    const client = await WireClient.join(server.url, { sceneId: 'tavern', role: 'game' });
    await client.next('snapshot');
    const proposal = { actorId: 'guard', verb: 'attack', targetId: 'player', amount: 5 };
    client.send({ requestId: 'p1', body: { case: 'proposal', value: proposal } });
    expect((await client.nextMessage('verdict', (_v, m) => m.requestId === 'p1')).body.case).toBe('verdict');
    client.send({ requestId: 'w1', body: { case: 'worldReport', value: { actors: [{ id: 'player', health: 90 }] } } });
    await client.nextMessage('ack', (_v, m) => m.requestId === 'w1');
    client.send({ requestId: 'c1', body: { case: 'control', value: { action: ControlAction.PAUSE } } });
    await client.nextMessage('ack', (_v, m) => m.requestId === 'c1');
    client.send({ requestId: 'c2', body: { case: 'control', value: { action: ControlAction.RESUME } } });
    await client.nextMessage('ack', (_v, m) => m.requestId === 'c2');
    client.send({
      requestId: 'x1',
      body: { case: 'control', value: { action: ControlAction.STOP, performanceId: 'nope' } },
    });
    const error = await client.next('error', (e) => e.requestId === 'x1');
    expect(error).toMatchObject({ code: ErrorCode.UNKNOWN_PERFORMANCE, field: 'control.performance_id' });
    await client.leave();
  });

  speaking('echoes a Say’s request id on its performance, and a STOP’s on its ack or its error', async () => {
    const client = await WireClient.join(server.url, { sceneId: 'tavern', role: 'game' });
    await client.next('snapshot');
    client.send({ requestId: 's1', body: { case: 'say', value: { npcId: 'bard', text: 'A song for a coin!' } } });
    const start = await client.next('performanceStart', (p) => p.requestId === 's1');
    expect(start.npcId).toBe('bard');
    await client.next('performanceEnd', (e) => e.performanceId === start.performanceId);

    const held = { npcId: 'guard', text: LONG_LINE, interruptible: false };
    client.send({ requestId: 's2', body: { case: 'say', value: held } });
    const guard = await client.next('performanceStart', (p) => p.requestId === 's2');
    client.send({ requestId: 'k1', body: { case: 'control', value: { action: ControlAction.STOP, npcId: 'guard' } } });
    expect(await client.next('error', (e) => e.requestId === 'k1')).toMatchObject({ code: ErrorCode.FORBIDDEN });
    client.send({ requestId: 'k2', body: { case: 'control', value: { action: ControlAction.STOP } } });
    await client.nextMessage('ack', (_v, m) => m.requestId === 'k2');
    expect(guard.interruptible).toBe(false);
    await client.leave();
  });

  speaking('streams a player line’s reply as subtitles on the performance clock, before its end', async () => {
    const client = await WireClient.join(server.url, { sceneId: 'tavern', role: 'player', name: 'Ada' });
    await client.next('snapshot');
    client.send({ requestId: 'l1', body: { case: 'playerLine', value: { npcId: 'innkeeper', text: 'Hello there!' } } });
    const start = await client.next('performanceStart', (p) => p.requestId === 'l1');
    expect(start.text).toBe('');
    const end = await client.next('performanceEnd', (e) => e.performanceId === start.performanceId, 30_000);
    const order = client.received.filter(
      (m) =>
        (m.body.case === 'subtitle' || m.body.case === 'performanceEnd') &&
        (m.body.value as { performanceId: string }).performanceId === start.performanceId,
    );
    const subtitles = order.flatMap((m) => (m.body.case === 'subtitle' ? [m.body.value] : []));
    expect(subtitles.length).toBeGreaterThan(0);
    expect(order.at(-1)?.body.case).toBe('performanceEnd');
    const words = (t: string) => t.replace(/\s+/g, ' ').trim();
    expect(words(subtitles.map((s) => s.text).join(' '))).toBe(words(end.text));
    for (const [i, s] of subtitles.entries()) {
      expect(s.endMs).toBeGreaterThan(s.startMs);
      if (i > 0) expect(s.startMs).toBeGreaterThanOrEqual(subtitles[i - 1]?.endMs ?? 0);
    }
    await client.leave();
  });

  speaking('says where an interrupted line stopped and closes an open gesture at the cut', async () => {
    const client = await WireClient.join(server.url, { sceneId: 'tavern', role: 'game' });
    await client.next('snapshot');
    const say = { npcId: 'bard', text: LONG_LINE, intent: INTENT.toWire('inform') };
    client.send({ requestId: 'g1', body: { case: 'say', value: say } });
    const start = await client.next('performanceStart', (p) => p.requestId === 'g1');
    const id = start.performanceId;
    // Cut the line inside a gesture: after its start, before its planned stop.
    const gesture = await client.next(
      'cue',
      (c) => c.performanceId === id && CUE_KIND.fromWire(c.kind) === 'gesture_start',
      30_000,
    );
    await client.next('audio', (a) => a.performanceId === id && a.startMs >= gesture.startMs + 200, 30_000);
    client.send({ body: { case: 'control', value: { action: ControlAction.STOP, performanceId: id } } });
    const end = await client.next('performanceEnd', (e) => e.performanceId === id);
    const ofLine = client.received.filter((m) => (m.body.value as { performanceId?: string }).performanceId === id);
    const audio = ofLine.flatMap((m) => (m.body.case === 'audio' ? [m.body.value] : []));
    const heardMs = audio.reduce((n, a) => n + (a.pcm.byteLength / 2 / a.sampleRate) * 1000, 0);
    expect(end.samples).toBe(audio.reduce((n, a) => n + a.pcm.byteLength / 2, 0));
    expect(Math.abs(end.durationMs - heardMs)).toBeLessThanOrEqual(1);
    const cues = ofLine.flatMap((m) => (m.body.case === 'cue' ? [m.body.value] : []));
    const kinds = cues.map((c) => ({ kind: CUE_KIND.fromWire(c.kind), at: c.startMs }));
    const startsBefore = kinds.filter((c) => c.kind === 'gesture_start' && c.at < end.durationMs).length;
    const stopsBy = kinds.filter((c) => c.kind === 'gesture_stop' && c.at <= end.durationMs).length;
    expect(startsBefore).toBeGreaterThan(0);
    expect(stopsBy).toBe(startsBefore);
    await client.leave();
  });

  it('gives a client that joins late every NPC’s current directive in the snapshot', async () => {
    const game = await WireClient.join(server.url, { sceneId: 'bridge-ambush', role: 'game' });
    await game.next('snapshot');
    const directive = await game.next('directive');
    const late = await WireClient.join(server.url, { sceneId: 'bridge-ambush', role: 'observer' });
    const snapshot = await late.next('snapshot');
    const member = snapshot.cast.find((m) => m.id === directive.npcId);
    expect(member?.directive).toMatchObject({ npcId: directive.npcId });
    if (directive.aggression !== undefined) expect(member?.directive?.aggression).toBeCloseTo(directive.aggression, 5);
    await late.leave();
    await game.leave();
  });
});
