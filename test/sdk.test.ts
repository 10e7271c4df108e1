import { matchMaker } from '@colyseus/core';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CUE_KIND, connect, Decision, EndReason, type SayOptions, type Scene, StagecraftError } from '@stagecraft/sdk';
import { espeakAvailability } from '../server/src/engines/tts/espeak-engine.js';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
const open: Scene[] = [];

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  for (const s of open) await s.leave().catch(() => undefined);
  await server?.close();
});

async function join(sceneId: string, options: Parameters<ReturnType<typeof connect>['joinScene']>[1] = {}) {
  const scene = await connect(server.url, { reconnect: { minUptimeMs: 0 } }).joinScene(sceneId, options);
  open.push(scene);
  return scene;
}

const next = <T>(
  scene: Scene,
  event: 'delta' | 'playerLine' | 'snapshot' | 'reconnected',
  test: (v: T) => boolean = () => true,
) =>
  new Promise<T>((resolve) => {
    const off = scene.on(event, ((v: T) => {
      if (!test(v)) return;
      off();
      resolve(v);
    }) as never);
  });

describe('TypeScript SDK against the real server', () => {
  it('joins a scene file and holds its state', async () => {
    const scene = await join('tavern', { name: 'Ada' });
    expect(scene.state.sceneId).toBe('tavern');
    expect([...scene.state.cast.keys()]).toEqual(['innkeeper', 'guard', 'bard']);
    expect(scene.state.director?.packId).toBe('tavern-no-violence');
  });

  it('shows every client the other clients’ player lines and the scene pausing', async () => {
    const a = await join('tavern', { name: 'Ada', role: 'game' });
    const b = await join('tavern', { name: 'Bo' });
    const heard = next<{ text: string; playerId: string }>(b, 'playerLine');
    void a.sayTo('innkeeper', 'A room for the night?');
    expect(await heard).toMatchObject({ text: 'A room for the night?', playerId: 'Ada' });
    const paused = next(b, 'delta', (d: { paused?: boolean }) => d.paused === true);
    await a.pause();
    await paused;
    expect(b.state.paused).toBe(true);
    const resumed = next(a, 'delta', (d: { paused?: boolean }) => d.paused === false);
    await a.resume();
    await resumed;
  });

  it('gets a verdict per proposal and a typed error for a bad one', async () => {
    const game = await join('tavern', { role: 'game' });
    const verdict = await game.propose({ actorId: 'guard', verb: 'attack', targetId: 'player', amount: 10 });
    expect(verdict.decision).toBe(Decision.VETO);
    expect(verdict.ruleId).toBe('no-violence');
    const error = await game.propose({ actorId: 'nobody', verb: 'attack' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StagecraftError);
    expect((error as StagecraftError).codeName).toBe('UNKNOWN_NPC');
    expect((error as StagecraftError).field).toBe('proposal.actor_id');
  });

  it('refuses to join an unknown scene with a clear message', async () => {
    await expect(connect(server.url).joinScene('tavren')).rejects.toThrow(
      /unknown scene "tavren" \(did you mean "tavern"\?\)/,
    );
  });

  it('reconnects after a dropped connection and receives a fresh snapshot', async () => {
    const scene = await join('bridge-ambush', { role: 'game' });
    const reconnected = next(scene, 'reconnected');
    const resnapshot = next<{ sceneId: string }>(scene, 'snapshot');
    const [room] = await matchMaker
      .query({ name: 'scene' })
      .then((rooms) => rooms.filter((r) => r.metadata?.sceneId === 'bridge-ambush'));
    const live = matchMaker.getLocalRoomById(room?.roomId ?? '');
    const client = live?.clients.find((c) => c.sessionId === scene.sessionId);
    if (!client) throw new Error('the scene room does not list this client');
    (client.ref as unknown as { terminate(): void }).terminate();
    await reconnected;
    expect((await resnapshot).sceneId).toBe('bridge-ambush');
    const verdict = await scene.propose({ actorId: 'bandit-1', verb: 'flee' });
    expect(verdict.proposalId).toMatch(/^p/);
  });

  const espeak = espeakAvailability();
  if (!espeak.ok) console.warn(`SDK performance test skipped: espeak-ng is not installed (${espeak.reason})`);
  (espeak.ok ? it : it.skip)('receives a performance whose WAV lasts exactly as long as its chunks', async () => {
    const scene = await join('tavern', { role: 'game' });
    const performance = await scene.say('bard', 'A song for a silver coin!');
    const chunks: number[] = [];
    for await (const chunk of performance.audio) chunks.push(chunk.pcm.byteLength / 2);
    const end = await performance.ended;
    expect(end.reason).toBe(EndReason.COMPLETED);
    const wav = await performance.wav();
    const samples = (wav.byteLength - 44) / 2;
    expect(samples).toBe(chunks.reduce((a, b) => a + b, 0));
    expect(Math.abs((samples / performance.start.sampleRate) * 1000 - end.durationMs)).toBeLessThanOrEqual(2);
    const visemes = [];
    for await (const v of performance.visemes) visemes.push(...v.visemes);
    expect(visemes.length).toBeGreaterThan(3);
  });

  (espeak.ok ? it : it.skip)('receives face frames covering all of the audio, with the emotion asked for', async () => {
    const scene = await join('tavern', { role: 'game' });
    const performance = await scene.say('bard', 'Pay the piper, or the music stops!', {
      emotion: 'joy',
      intensity: 0.8,
      intent: 'greet',
    });
    const end = await performance.ended;
    expect(performance.start.faceFps).toBe(30);
    expect(performance.emotion).toBe('joy');
    const [firstMs, lastMs] = performance.facePlayer.coveredMs;
    expect(firstMs).toBe(0);
    expect(lastMs).toBeGreaterThanOrEqual(end.durationMs);
    expect(performance.facePlayer.frameCount).toBeGreaterThanOrEqual(Math.floor((end.durationMs * 30) / 1000));
    const smiles = [];
    for (let ms = 0; ms <= end.durationMs; ms += 100)
      smiles.push(performance.facePlayer.namedWeightsAt(ms).mouthSmileLeft);
    expect(Math.max(...smiles)).toBeGreaterThan(0.2);
    const jaw = [];
    for (let ms = 0; ms <= end.durationMs; ms += 20) jaw.push(performance.facePlayer.namedWeightsAt(ms).jawOpen);
    expect(Math.max(...jaw)).toBeGreaterThan(0.3);
    const cues = [];
    for await (const c of performance.cues) cues.push(c);
    expect(cues.map((c) => CUE_KIND.fromWire(c.kind))).toContain('nod');
    expect(cues.every((c) => c.npcId === 'bard' && c.startMs < end.durationMs)).toBe(true);
  });

  (espeak.ok ? it : it.skip)(
    'matches each Say to its own performance by request id, even for the same line',
    async () => {
      const scene = await join('tavern', { role: 'game' });
      const [a, b] = await Promise.all([scene.say('bard', 'Again!'), scene.say('innkeeper', 'Again!')]);
      expect(a.npcId).toBe('bard');
      expect(b.npcId).toBe('innkeeper');
      expect(a.requestId).not.toBe(b.requestId);
      await Promise.all([a.ended, b.ended]);
    },
  );

  (espeak.ok ? it : it.skip)(
    'resolves a player line with the NPC’s reply, its text arriving as subtitles',
    async () => {
      const scene = await join('tavern', { role: 'player', name: 'Ada' });
      const reply = await scene.sayTo('innkeeper', 'Good evening!');
      expect(reply.npcId).toBe('innkeeper');
      const subtitles = [];
      for await (const s of reply.subtitles) subtitles.push(s);
      const end = await reply.ended;
      expect(subtitles.length).toBeGreaterThan(0);
      expect(reply.text.replace(/\s+/g, ' ')).toBe(end.text.replace(/\s+/g, ' '));
      expect(reply.subtitleAt(subtitles[0]?.startMs ?? 0)?.text).toBe(subtitles[0]?.text);
    },
  );

  (espeak.ok ? it : it.skip)(
    'rejects a STOP of a line that may not be interrupted, and resolves one that may',
    async () => {
      const scene = await join('tavern', { role: 'game' });
      const line = 'Hear me out to the very end, for this is a long and solemn oath that must not be broken.';
      const held = await scene.say('guard', line, { interruptible: false });
      await expect(scene.stop({ performanceId: held.id })).rejects.toMatchObject({ codeName: 'FORBIDDEN' });
      await expect(scene.stop({ npcId: 'bard' })).resolves.toBeUndefined();
      await held.ended;
    },
  );

  it('refuses a say with an emotion that does not exist, naming the field', async () => {
    const scene = await join('tavern', { role: 'game' });
    await expect(scene.say('bard', 'Hello', { emotion: 'glee' } as unknown as SayOptions)).rejects.toThrow(
      /say\.emotion "glee" is not one of neutral/,
    );
  });
});
