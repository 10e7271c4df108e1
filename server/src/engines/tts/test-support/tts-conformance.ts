import { describe, expect, it } from '@jest/globals';
import { VISEMES } from '@stagecraft/protocol';
import { visemeTable } from '../../../performance/viseme-table.js';
import { phonemesToVisemes } from '../../../performance/visemes.js';
import { DEFAULT_VOICE_SETTINGS, type Synthesis, type TtsEngine, TtsError, type VoiceSettings } from '../tts.js';

export interface ConformanceSubject {
  engine: TtsEngine;
  voice: string;
  /** Duration bounds for ordinary English speech at speed 1, ms per character. */
  msPerChar?: [number, number];
}

export type SubjectFactory = () => Promise<ConformanceSubject | { skip: string }>;

const SENTENCE = 'Welcome to Riverwood, stranger. The dragons are back!';

export function rms(samples: Float32Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / Math.max(1, samples.length));
}

/** Checks every engine must pass: speech-like audio, plausible duration, timing that covers the audio. */
export function expectSpeechLike(result: Synthesis, text: string, msPerChar: [number, number] = [20, 200]): void {
  const durationMs = (result.samples.length * 1000) / result.sampleRate;
  expect(result.sampleRate).toBeGreaterThanOrEqual(8000);
  expect(rms(result.samples)).toBeGreaterThan(0.01);
  let clipped = 0;
  for (const s of result.samples) if (Math.abs(s) >= 0.999) clipped++;
  expect(clipped / result.samples.length).toBeLessThan(0.001);
  expect(durationMs).toBeGreaterThan(text.length * msPerChar[0]);
  expect(durationMs).toBeLessThan(text.length * msPerChar[1]);
  expect(result.timing).not.toBe('none');
  const ph = result.phonemes;
  expect(ph.length).toBeGreaterThan(3);
  for (let i = 0; i < ph.length; i++) {
    const p = ph[i];
    if (!p) continue;
    expect(p.endMs).toBeGreaterThanOrEqual(p.startMs);
    if (i > 0) expect(p.startMs).toBeGreaterThanOrEqual(ph[i - 1]?.startMs ?? 0);
  }
  expect(ph[0]?.startMs ?? Infinity).toBeLessThanOrEqual(50);
  expect(Math.abs((ph[ph.length - 1]?.endMs ?? 0) - durationMs)).toBeLessThanOrEqual(50);
  const table = visemeTable();
  for (const v of phonemesToVisemes(ph)) {
    expect(VISEMES).toContain(v.value);
    const mid = (v.startMs + v.endMs) / 2;
    const under = ph.find((p) => p.startMs <= mid && mid <= p.endMs);
    expect(under && table.lookup(under.value)).toContain(v.value);
  }
}

/**
 * The shared suite: run it from one `*.test.ts` per engine. `skip`, when given, is why the engine
 * cannot run here: the suite is then skipped and the reason printed.
 */
export function ttsConformance(name: string, factory: SubjectFactory, skip?: string): void {
  if (skip) console.warn(`[skip] TTS conformance for ${name}: ${skip}`);
  (skip ? describe.skip : describe)(`TTS conformance: ${name}`, () => {
    let subject: ConformanceSubject | undefined;
    const get = async (): Promise<ConformanceSubject> => {
      if (subject) return subject;
      const made = await factory();
      // A reason to skip must be known before the suite runs (the `skip` argument).
      if ('skip' in made) throw new Error(`${name} cannot run: ${made.skip}`);
      subject = made;
      return subject;
    };
    const settings = (s: ConformanceSubject, over: Partial<VoiceSettings> = {}): VoiceSettings => ({
      ...DEFAULT_VOICE_SETTINGS,
      voice: s.voice,
      ...over,
    });

    it('speaks a sentence with speech-like audio and phoneme timing that covers it', async () => {
      const s = await get();
      const result = await s.engine.synthesize({ text: SENTENCE, voice: settings(s) });
      expectSpeechLike(result, SENTENCE, s.msPerChar);
      expect((await s.engine.voices()).some((v) => v.voice === s.voice)).toBe(true);
    });

    it('is faster at speed 2 than at speed 1', async () => {
      const s = await get();
      const slow = await s.engine.synthesize({ text: SENTENCE, voice: settings(s) });
      const fast = await s.engine.synthesize({ text: SENTENCE, voice: settings(s, { speed: 2 }) });
      expect(fast.samples.length).toBeLessThan(slow.samples.length * 0.8);
    });

    it('gives empty audio for empty text and speaks around emoji and unsupported characters', async () => {
      const s = await get();
      const empty = await s.engine.synthesize({ text: '  ', voice: settings(s) });
      expect((empty.samples.length * 1000) / empty.sampleRate).toBeLessThan(200);
      const odd = 'Hello 😀 there \u0000\u200b𝔘 ☃ friend.';
      const result = await s.engine.synthesize({ text: odd, voice: settings(s) });
      expect(rms(result.samples)).toBeGreaterThan(0.01);
    });

    it('rejects an unknown voice with a clear, non-retryable error', async () => {
      const s = await get();
      const err = await s.engine
        .synthesize({ text: 'Hello.', voice: settings(s, { voice: 'no-such-voice' }) })
        .catch((e) => e);
      expect(err).toBeInstanceOf(TtsError);
      expect((err as TtsError).code).toBe('unknown-voice');
      expect((err as TtsError).retryable).toBe(false);
      expect((err as TtsError).message).toContain('no-such-voice');
    });

    it('stops promptly when aborted and keeps working afterwards', async () => {
      const s = await get();
      const controller = new AbortController();
      const long = `${SENTENCE} `.repeat(20);
      const pending = s.engine.synthesize({ text: long, voice: settings(s) }, controller.signal);
      setTimeout(() => controller.abort(), 5);
      const err = await pending.catch((e) => e);
      expect(err).toBeInstanceOf(TtsError);
      expect((err as TtsError).code).toBe('aborted');
      const after = await s.engine.synthesize({ text: SENTENCE, voice: settings(s) });
      expectSpeechLike(after, SENTENCE, s.msPerChar);
    });
  });
}
