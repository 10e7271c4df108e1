import { afterAll, describe, expect } from '@jest/globals';
import { EspeakEngine } from '../engines/tts/espeak-engine.js';
import { espeakIt } from '../engines/tts/test-support/espeak-it.js';
import { DEFAULT_VOICE_SETTINGS } from '../engines/tts/tts.js';
import { voiceMetrics } from '../engines/tts/voice-metrics.js';
import type { AudioFrame, PerformanceFrame } from '../media/frames.js';
import { PrometheusMetrics } from '../telemetry/prometheus-metrics.js';
import { type PerformanceHandle, speak } from './speak.js';
import { collect } from './test-support/stage-harness.js';
import { VirtualClock } from './test-support/virtual-clock.js';

const engine = new EspeakEngine();
afterAll(() => engine.close());
const voice = { ...DEFAULT_VOICE_SETTINGS, voice: 'en-us' };
const LINE = 'Welcome to Riverwood, stranger. The dragons are back, and the Jarl wants to see you!';

const speakIt = espeakIt('speak() tests');

/** Reads frames until `until` says stop, then calls `act`, then reads the rest. */
async function drive(handle: PerformanceHandle, until: (f: PerformanceFrame) => boolean, act: () => void) {
  const frames: PerformanceFrame[] = [];
  let acted = false;
  for await (const f of handle.frames) {
    frames.push(f);
    if (!acted && until(f)) {
      acted = true;
      act();
    }
  }
  return frames;
}

describe('speak() with espeak-ng', () => {
  speakIt('streams start, timed phonemes, visemes and 20 ms chunks, then end(completed)', async () => {
    const prom = new PrometheusMetrics();
    const metrics = voiceMetrics(prom);
    const handle = speak({ npcId: 'guard', text: LINE, voice }, { engine, leadMs: 60_000, metrics });
    const frames = await collect(handle.frames);
    expect(frames[0]?.kind).toBe('start');
    const end = frames[frames.length - 1];
    expect(end).toMatchObject({ kind: 'end', reason: 'completed' });
    const audio = frames.filter((f): f is AudioFrame => f.kind === 'audio');
    expect(audio.map((a) => a.seq)).toEqual(audio.map((_, i) => i));
    expect(audio.every((a, i) => i === audio.length - 1 || (a.pcm.length === 441 && !a.final))).toBe(true);
    expect(audio[audio.length - 1]?.final).toBe(true);
    const totalMs = audio.reduce((s, a) => s + a.durationMs, 0);
    expect(end?.kind === 'end' && end.durationMs).toBeCloseTo(totalMs);
    const phonemes = frames.flatMap((f) => (f.kind === 'phonemes' ? f.phonemes : []));
    expect(Math.abs((phonemes[phonemes.length - 1]?.endMs ?? 0) - totalMs)).toBeLessThan(50);
    for (let i = 1; i < phonemes.length; i++)
      expect(phonemes[i]?.startMs).toBeGreaterThanOrEqual(phonemes[i - 1]?.startMs ?? 0);
    expect(frames.filter((f) => f.kind === 'visemes').length).toBe(frames.filter((f) => f.kind === 'phonemes').length);
    expect(await prom.read('stagecraft_tts_first_chunk_ms_count')).toBe(1);
    expect(await handle.ended).toBe(end);
  });

  speakIt('barge-in: stop mid-sentence ends with end(interrupted) and nothing after it', async () => {
    const handle = speak({ npcId: 'guard', text: LINE, voice }, { engine, leadMs: 40, clock: new VirtualClock() });
    const frames = await drive(
      handle,
      (f) => f.kind === 'audio' && f.seq === 10,
      () => expect(handle.stop()).toBe(true),
    );
    const last = frames[frames.length - 1];
    expect(last).toMatchObject({ kind: 'end', reason: 'interrupted' });
    expect(frames.filter((f) => f.kind === 'end')).toHaveLength(1);
    const idx = frames.findIndex((f) => f.kind === 'audio' && f.seq === 10);
    expect(frames.slice(idx + 1, -1).filter((f) => f.kind === 'audio')).toHaveLength(0);
    // Nothing queued of the line comes before the end, but the close of a gesture it left open.
    const after = frames.slice(idx + 1);
    const cutMs = last?.kind === 'end' ? last.durationMs : -1;
    expect(after.at(-1)?.kind).toBe('end');
    for (const f of after.slice(0, -1)) expect(f).toMatchObject({ kind: 'cue', cue: 'gesture_stop', startMs: cutMs });
    expect(last?.kind === 'end' && last.samples).toBe(
      frames.reduce((n, f) => n + (f.kind === 'audio' ? f.pcm.length : 0), 0),
    );
  });

  speakIt('sends each chunk when its audio is due, less the lead, on the performance clock', async () => {
    const clock = new VirtualClock();
    const handle = speak({ npcId: 'guard', text: 'One, two, three.', voice }, { engine, leadMs: 100, clock });
    const sentAt: { at: number; startMs: number }[] = [];
    for await (const f of handle.frames) if (f.kind === 'audio') sentAt.push({ at: clock.now(), startMs: f.startMs });
    expect(sentAt.length).toBeGreaterThan(20);
    const first = sentAt[0]?.at ?? 0;
    for (const { at, startMs } of sentAt) expect(at - first).toBeCloseTo(Math.max(0, startMs - 100), 6);
  });

  speakIt('keeps a non-interruptible line playing through stop(), unless forced', async () => {
    const handle = speak(
      { npcId: 'guard', text: 'Hold fast.', voice, interruptible: false },
      { engine, leadMs: 60_000 },
    );
    const frames = await drive(
      handle,
      (f) => f.kind === 'audio',
      () => expect(handle.stop()).toBe(false),
    );
    expect(frames[frames.length - 1]).toMatchObject({ kind: 'end', reason: 'completed' });
    const forced = speak({ npcId: 'guard', text: LINE, voice, interruptible: false }, { engine, leadMs: 0 });
    const f2 = await drive(
      forced,
      (f) => f.kind === 'audio',
      () => expect(forced.stop({ force: true })).toBe(true),
    );
    expect(f2[f2.length - 1]).toMatchObject({ kind: 'end', reason: 'interrupted' });
  });

  speakIt('pause holds the audio and resume continues it', async () => {
    const clock = new VirtualClock();
    const handle = speak({ npcId: 'guard', text: 'One, two.', voice }, { engine, leadMs: 20, clock });
    const times: number[] = [];
    let pausedAt = 0;
    for await (const f of handle.frames) {
      if (f.kind !== 'audio') continue;
      times.push(clock.now());
      if (f.seq === 2) {
        handle.pause();
        pausedAt = clock.now();
        clock.advance(300);
        handle.resume();
      }
    }
    // Chunk 3 plays 20 ms after chunk 2 on the performance clock, which stood still for 300 ms.
    expect((times[3] ?? 0) - pausedAt).toBeCloseTo(320, 6);
    expect((await handle.ended).reason).toBe('completed');
  });

  speakIt('copes with bad input: empty, very long, emoji, unknown voice', async () => {
    const empty = await collect(speak({ npcId: 'n', text: '   ', voice }, { engine }).frames);
    expect(empty.map((f) => f.kind)).toEqual(['start', 'end']);
    expect(empty[1]).toMatchObject({ reason: 'completed', durationMs: 0 });

    const long = speak({ npcId: 'n', text: `${LINE} `.repeat(120).slice(0, 10_000), voice }, { engine, leadMs: 0 });
    const longFrames = await drive(
      long,
      (f) => f.kind === 'audio' && f.seq === 5,
      () => long.stop(),
    );
    expect(longFrames[longFrames.length - 1]).toMatchObject({ kind: 'end', reason: 'interrupted' });

    const emoji = await collect(speak({ npcId: 'n', text: 'Hi 😀 ☃ 𝔘!', voice }, { engine, leadMs: 60_000 }).frames);
    expect(emoji.some((f) => f.kind === 'audio')).toBe(true);
    expect(emoji[emoji.length - 1]).toMatchObject({ reason: 'completed' });

    const unknown = await collect(
      speak({ npcId: 'n', text: 'Hello.', voice: { ...voice, voice: 'xx-nope' } }, { engine }).frames,
    );
    expect(unknown[unknown.length - 1]).toMatchObject({ kind: 'end', reason: 'failed' });
    expect(unknown[unknown.length - 1]?.kind === 'end' && unknown[unknown.length - 1]).toHaveProperty(
      'message',
      expect.stringContaining('xx-nope'),
    );
  });
});
