import { afterAll, describe, expect } from '@jest/globals';
import { EspeakEngine } from '../engines/tts/espeak-engine.js';
import { espeakIt } from '../engines/tts/test-support/espeak-it.js';
import { DEFAULT_VOICE_SETTINGS } from '../engines/tts/tts.js';
import type { AudioFrame, PerformanceFrame } from './frames.js';
import { createVoiceMetrics, histogramCount } from './metrics.js';
import { type PerformanceHandle, speak } from './speak.js';
import { collect } from './test-support/stage-harness.js';

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
    const metrics = createVoiceMetrics();
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
    expect(await histogramCount(metrics.firstChunkMs)).toBe(1);
    expect(await handle.ended).toBe(end);
  });

  speakIt('barge-in: stop mid-sentence ends with end(interrupted) and nothing after it', async () => {
    const handle = speak({ npcId: 'guard', text: LINE, voice }, { engine, leadMs: 40 });
    let stopAt = 0;
    const frames = await drive(
      handle,
      (f) => f.kind === 'audio' && f.seq === 10,
      () => {
        stopAt = performance.now();
        expect(handle.stop()).toBe(true);
      },
    );
    const last = frames[frames.length - 1];
    expect(last).toMatchObject({ kind: 'end', reason: 'interrupted' });
    expect(frames.filter((f) => f.kind === 'end')).toHaveLength(1);
    const idx = frames.findIndex((f) => f.kind === 'audio' && f.seq === 10);
    expect(frames.slice(idx + 1, -1).filter((f) => f.kind === 'audio')).toHaveLength(0);
    expect(performance.now() - stopAt).toBeLessThan(100);
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
    const handle = speak({ npcId: 'guard', text: 'One, two.', voice }, { engine, leadMs: 20 });
    const times: number[] = [];
    let pausedAt = 0;
    for await (const f of handle.frames) {
      if (f.kind !== 'audio') continue;
      times.push(performance.now());
      if (f.seq === 2) {
        handle.pause();
        pausedAt = performance.now();
        setTimeout(() => handle.resume(), 300);
      }
    }
    const after = times[3] ?? 0;
    expect(after - pausedAt).toBeGreaterThanOrEqual(280);
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
