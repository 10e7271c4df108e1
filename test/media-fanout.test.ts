import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AudioEncoding, type ServerMessage } from '@stagecraft/protocol';
import { connect } from '@stagecraft/sdk';
import { espeakAvailability } from '../server/src/engines/tts/espeak-engine.js';
import { envelope } from '../server/src/rooms/wire/test-support/pcm-envelope.js';
import { startTestServer, type TestServer } from './support/server.js';
import { WireClient } from './support/wire-client.js';

// Media over real WebSockets: what each client receives (subscriptions, audio format), that each
// message is encoded once whatever the number of clients.
// espeak-ng speaks the lines.
const espeak = espeakAvailability();
const reason = espeak.ok ? undefined : `espeak-ng is not installed (${espeak.reason})`;
if (reason) console.warn(`media fan-out tests skipped: ${reason}`);
const maybe = reason ? describe.skip : describe;

const MEDIA = new Set([
  'performanceStart',
  'audio',
  'phonemes',
  'visemes',
  'face',
  'cue',
  'subtitle',
  'performanceEnd',
]);
const isMedia = (m: ServerMessage) => MEDIA.has(m.body.case ?? '');
const performanceOf = (m: ServerMessage) => (m.body.value as { performanceId?: string }).performanceId ?? '';

async function metric(server: TestServer, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || l.startsWith(`${name}${labels}{`));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** Says a line as the game and waits until `clients` all saw its end; returns its performance id. */
async function sayAndWait(game: WireClient, npcId: string, text: string, clients: WireClient[]): Promise<string> {
  const requestId = `say-${npcId}-${Date.now()}`;
  game.send({ requestId, body: { case: 'say', value: { npcId, text } } });
  const start = await game.next('performanceStart', (v) => v.requestId === requestId, 30_000);
  await Promise.all(
    [game, ...clients].map((c) => c.next('performanceEnd', (v) => v.performanceId === start.performanceId, 60_000)),
  );
  return start.performanceId;
}

// Twelve voices. A client that stops reading is tested with stand-in sockets
// (server/src/rooms/media-fanout.test.ts): over loopback the kernel takes megabytes first.
const CROWD = ['innkeeper', 'guard', 'bard', ...Array.from({ length: 9 }, (_, i) => `patron-${i + 1}`)];
const scenesDir = mkdtempSync(path.join(tmpdir(), 'stagecraft-fanout-'));

maybe('media fan-out', () => {
  let server: TestServer;
  beforeAll(async () => {
    const cast = CROWD.map((id, i) => `  - { id: ${id}, voice: "espeak-ng:${i % 2 ? 'en-gb' : 'en-us'}" }`);
    writeFileSync(path.join(scenesDir, 'tavern.yaml'), ['id: tavern', 'cast:', ...cast, ''].join('\n'));
    server = await startTestServer({
      scenesDir,
      env: {
        STAGECRAFT_FACE_FPS: '30',
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(scenesDir, { recursive: true, force: true });
  });

  it('encodes each message once, whatever the number of clients', async () => {
    const game = await WireClient.join(server.url, { sceneId: 'tavern', role: 'game' });
    const watchers = await Promise.all(
      Array.from({ length: 6 }, () => WireClient.join(server.url, { sceneId: 'tavern', role: 'observer' })),
    );
    await Promise.all([game, ...watchers].map((c) => c.next('snapshot')));
    const seenBefore = watchers[0]?.received.length ?? 0;
    const encodedBefore =
      (await metric(server, 'stagecraft_media_messages_encoded_total', '{audio="pcm16"}')) +
      (await metric(server, 'stagecraft_media_messages_encoded_total', '{audio="none"}'));
    const id = await sayAndWait(game, 'innkeeper', 'Welcome to the Copper Kettle, traveller.', watchers);
    await new Promise((r) => setTimeout(r, 300)); // the speaking flag's last delta
    const encoded =
      (await metric(server, 'stagecraft_media_messages_encoded_total', '{audio="pcm16"}')) +
      (await metric(server, 'stagecraft_media_messages_encoded_total', '{audio="none"}')) -
      encodedBefore;
    const received = (watchers[0]?.received ?? []).slice(seenBefore);
    expect(received.filter((m) => performanceOf(m) === id).length).toBeGreaterThan(10);
    // Every message a watcher received was encoded once, not once per client (seven here).
    expect(encoded).toBe(received.length);
    for (const c of [game, ...watchers]) await c.leave();
  });

  it('sends an NPC’s media only to clients subscribed to it, and follows a change of subscription', async () => {
    const game = await WireClient.join(server.url, { sceneId: 'tavern', role: 'game' });
    const none = await WireClient.join(server.url, { sceneId: 'tavern', role: 'observer', media: 'none' });
    const guardOnly = await WireClient.join(server.url, { sceneId: 'tavern', role: 'observer', media: ['guard'] });
    await Promise.all([game, none, guardOnly].map((c) => c.next('snapshot')));
    const inn = await sayAndWait(game, 'innkeeper', 'Two rooms left.', []);
    const guard = await sayAndWait(game, 'guard', 'Move along.', [guardOnly]);
    await new Promise((r) => setTimeout(r, 300));
    expect(none.received.filter(isMedia)).toEqual([]);
    expect(none.received.some((m) => m.body.case === 'delta')).toBe(true); // the scene's state still arrives
    expect(guardOnly.received.filter((m) => performanceOf(m) === inn)).toEqual([]);
    expect(guardOnly.received.filter((m) => performanceOf(m) === guard).length).toBeGreaterThan(5);

    none.send({ requestId: 'sub', body: { case: 'media', value: { all: false, npcIds: ['innkeeper'] } } });
    await none.nextMessage('ack', (_v, m) => m.requestId === 'sub');
    const again = await sayAndWait(game, 'innkeeper', 'Supper is at eight.', [none]);
    expect(none.received.filter((m) => performanceOf(m) === again).length).toBeGreaterThan(5);

    none.send({ requestId: 'bad', body: { case: 'media', value: { all: false, npcIds: ['nobody'] } } });
    const error = await none.next('error', (v) => v.requestId === 'bad');
    expect(error).toMatchObject({ field: 'media.npc_ids[0]', messageType: 'MediaSubscription' });
    expect(error.message).toBe('media.npc_ids[0]: no cast member "nobody" in this scene');
    const typo = await WireClient.join(server.url, { sceneId: 'tavern', media: ['guard', 'nobody'] });
    expect(await typo.next('error')).toMatchObject({
      message: 'media[1]: no cast member "nobody" in this scene',
      field: 'media[1]',
    });
    await typo.leave();
    for (const c of [game, none, guardOnly]) await c.leave();
  });

  it('gives an Opus client the same line in about a tenth of the bytes, decoded to PCM by the SDK', async () => {
    const client = connect(server.url);
    const pcm = await client.joinScene('tavern', { role: 'game' });
    const opus = await client.joinScene('tavern', { role: 'observer', audio: 'opus' });
    const heard = new Promise<import('@stagecraft/sdk').Performance>((resolve) => opus.once('performance', resolve));
    const line = await pcm.say('bard', 'Gather round, friends, and hear the song of the dragon of Kettle Hill.');
    const opusLine = await heard;
    const [pcmWav, opusWav] = await Promise.all([line.wav(), opusLine.wav()]);
    expect(opusLine.start.encoding).toBe(AudioEncoding.OPUS);
    expect(opusLine.start.sampleRate).toBe(24_000);
    const seconds = (pcmWav.byteLength - 44) / 2 / line.start.sampleRate;
    const opusSeconds = (opusWav.byteLength - 44) / 2 / 24_000;
    expect(Math.abs(opusSeconds - seconds)).toBeLessThan(0.05);
    const opusBytes = opusLine.audio.snapshot().reduce((n, c) => n + c.opus.reduce((k, p) => k + p.byteLength, 0), 0);
    expect((opusBytes * 8) / seconds).toBeLessThanOrEqual(32_000);
    expect(opusBytes).toBeLessThan((pcmWav.byteLength - 44) / 8);
    // The decoded line's loudness follows the PCM line's, 100 ms at a time.
    const a = envelope(samples(pcmWav), line.start.sampleRate);
    const b = envelope(samples(opusWav), 24_000);
    expect(correlation(a.slice(0, b.length), b.slice(0, a.length))).toBeGreaterThan(0.9);
    await Promise.all([pcm.leave(), opus.leave()]);
  });
});

/** The PCM16 samples of a WAV file (after its 44-byte header). */
function samples(wav: Uint8Array): Int16Array {
  return new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.byteLength));
}

function correlation(a: number[], b: number[]): number {
  const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  const ma = mean(a);
  const mb = mean(b);
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += ((a[i] ?? 0) - ma) * ((b[i] ?? 0) - mb);
    da += ((a[i] ?? 0) - ma) ** 2;
    db += ((b[i] ?? 0) - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
}
