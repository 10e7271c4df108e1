import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ControlAction, EndReason, ErrorCode, type ServerMessage } from '@stagecraft/protocol';
import { espeakAvailability } from '../server/src/engines/tts/espeak-engine.js';
import { RawSceneClient } from './support/raw-client.js';
import { startTestServer, type TestServer } from './support/server.js';

const espeak = espeakAvailability();
if (!espeak.ok) console.warn(`voice room tests skipped: espeak-ng is not installed (${espeak.reason})`);
const suite = espeak.ok ? describe : describe.skip;

const scenesDir = mkdtempSync(path.join(tmpdir(), 'stagecraft-voice-'));
let server: TestServer;

beforeAll(async () => {
  writeFileSync(
    path.join(scenesDir, 'stage.yaml'),
    [
      'id: stage',
      'cast:',
      '  - { id: herald, voice: "espeak-ng:en-us" }',
      '  - { id: crier, voice: { id: "espeak-ng:en-gb", speed: 1.2 } }',
      '  - { id: ghost, voice: "nope:whisper" }',
      '',
    ].join('\n'),
  );
  if (espeak.ok) server = await startTestServer({ scenesDir });
});

afterAll(async () => {
  await server?.close();
  rmSync(scenesDir, { recursive: true, force: true });
});

function mediaOf(c: RawSceneClient, performanceId: string): ServerMessage['body'][] {
  return c.received
    .map((m) => m.body)
    .filter((b) => b.case !== undefined && 'performanceId' in b.value && b.value.performanceId === performanceId);
}

suite('voice in the scene room', () => {
  it('streams a say to every client: start, contiguous 20 ms chunks, visemes, end; the NPC speaks meanwhile', async () => {
    const game = await RawSceneClient.join(server.url, { sceneId: 'stage', role: 'game' });
    const watcher = await RawSceneClient.join(server.url, { sceneId: 'stage', role: 'observer' });
    game.send({ body: { case: 'say', value: { npcId: 'herald', text: 'Hear ye! The market opens at dawn.' } } });
    const start = await watcher.next('performanceStart', (s) => s.npcId === 'herald');
    const speaking = await watcher.next('delta', (d) => d.castUpserts.some((m) => m.id === 'herald' && m.speaking));
    expect(speaking.castUpserts[0]?.performanceId).toBe(start.performanceId);
    const end = await watcher.next('performanceEnd', (e) => e.performanceId === start.performanceId, 15_000);
    expect(end.reason).toBe(EndReason.COMPLETED);
    await watcher.next('delta', (d) => d.castUpserts.some((m) => m.id === 'herald' && !m.speaking));

    const media = mediaOf(watcher, start.performanceId);
    const chunks = media.flatMap((b) => (b.case === 'audio' ? [b.value] : []));
    expect(chunks.length).toBeGreaterThan(20);
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_c, i) => i));
    expect(chunks.at(-1)?.final).toBe(true);
    expect(chunks.filter((c) => c.final)).toHaveLength(1);
    const samples = chunks.reduce((n, c) => n + c.pcm.byteLength / 2, 0);
    expect(Math.abs((samples / start.sampleRate) * 1000 - end.durationMs)).toBeLessThanOrEqual(2);
    expect(media.some((b) => b.case === 'visemes' && b.value.visemes.length > 0)).toBe(true);
    expect(media.at(-1)?.case).toBe('performanceEnd');
    await game.leave();
    await watcher.leave();
  });

  it('stops a line on barge-in within one chunk and sends nothing of it afterwards', async () => {
    const game = await RawSceneClient.join(server.url, { sceneId: 'stage', role: 'game' });
    const line = 'This is a long proclamation, read slowly, so that everyone in the square can hear it. '.repeat(4);
    game.send({ body: { case: 'say', value: { npcId: 'crier', text: line } } });
    const start = await game.next('performanceStart', (s) => s.npcId === 'crier');
    await game.next('audio', (a) => a.performanceId === start.performanceId && a.seq >= 5);
    game.send({ body: { case: 'control', value: { action: ControlAction.STOP, npcId: 'crier' } } });
    const end = await game.next('performanceEnd', (e) => e.performanceId === start.performanceId);
    expect(end.reason).toBe(EndReason.INTERRUPTED);
    await new Promise((r) => setTimeout(r, 300));
    const media = mediaOf(game, start.performanceId);
    expect(media.at(-1)?.case).toBe('performanceEnd');
    await game.leave();
  });

  it('keeps a non-interruptible line playing and says why', async () => {
    const game = await RawSceneClient.join(server.url, { sceneId: 'stage', role: 'game' });
    game.send({
      body: { case: 'say', value: { npcId: 'herald', text: 'By order of the king.', interruptible: false } },
    });
    const start = await game.next('performanceStart', (s) => s.npcId === 'herald' && !s.interruptible);
    game.send({ requestId: 'stop', body: { case: 'control', value: { action: ControlAction.STOP, npcId: 'herald' } } });
    expect(await game.next('error', (e) => e.requestId === 'stop')).toMatchObject({ code: ErrorCode.FORBIDDEN });
    const end = await game.next('performanceEnd', (e) => e.performanceId === start.performanceId, 15_000);
    expect(end.reason).toBe(EndReason.COMPLETED);
    await game.leave();
  });

  it('answers bad lines with clear errors and speaks odd but valid ones', async () => {
    const game = await RawSceneClient.join(server.url, { sceneId: 'stage', role: 'game' });
    const cases = [
      { id: 'empty', npcId: 'herald', text: '   ', code: ErrorCode.INVALID_FIELD },
      { id: 'huge', npcId: 'herald', text: 'a'.repeat(25_000), code: ErrorCode.INVALID_FIELD },
      { id: 'who', npcId: 'nobody', text: 'Hello', code: ErrorCode.UNKNOWN_NPC },
      { id: 'voice', npcId: 'ghost', text: 'Boo', code: ErrorCode.UNSUPPORTED },
    ];
    for (const c of cases)
      game.send({ requestId: c.id, body: { case: 'say', value: { npcId: c.npcId, text: c.text } } });
    for (const c of cases) {
      const error = await game.next('error', (e) => e.requestId === c.id);
      expect(error.code).toBe(c.code);
      expect(error.messageType).toBe('Say');
    }
    game.send({ body: { case: 'say', value: { npcId: 'herald', text: 'Welcome 🎉 to the fête — ☃ ∑ 123!' } } });
    const start = await game.next('performanceStart', (s) => s.text.includes('fête'));
    const end = await game.next('performanceEnd', (e) => e.performanceId === start.performanceId, 15_000);
    expect(end.reason).toBe(EndReason.COMPLETED);
    expect(end.durationMs).toBeGreaterThan(500);
    await game.leave();
  });
});
