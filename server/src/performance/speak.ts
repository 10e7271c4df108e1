import { randomUUID } from 'node:crypto';
import type { TtsEngine, VoiceSettings } from '../engines/tts/tts.js';
import type { VoiceMetrics } from '../engines/tts/voice-metrics.js';
import { Channel } from '../media/channel.js';
import { type Delivery, deliveryOf } from '../media/delivery.js';
import {
  type EndFrame,
  type EndReason,
  isMedia,
  type PerformanceFrame,
  type SpeechItem,
  type StageContext,
} from '../media/frames.js';
import { chunkPcm } from './chunk-pcm.js';
import { splitClauses, textStream } from './clause-split.js';
import { OpenGestures } from './open-gestures.js';
import { DEFAULT_SAMPLE_RATE, resample } from './resample.js';
import { synthesizeAhead } from './synthesize-ahead.js';
import { toCues } from './to-cues.js';
import { type FaceOptions, toFace } from './to-face.js';
import { toVisemes } from './to-visemes.js';

/** Longest text one performance accepts, characters. */
export const MAX_TEXT_CHARS = 100_000;

export interface SpeakRequest {
  performanceId?: string;
  npcId: string;
  /** The whole line, or a stream of fragments (e.g. from a dialogue model). */
  text: string | AsyncIterable<string>;
  voice: VoiceSettings;
  /** Audio already made (a recorded voice-over); replaces text → TTS when given. */
  audio?: AsyncIterable<SpeechItem>;
  /** False: stop() and barge-in leave the line playing. Default true. */
  interruptible?: boolean;
  /** How the line is delivered: its emotion moves the face, its intent and gesture the body cues. */
  delivery?: Partial<Delivery>;
  /**
   * The delivery of a line written while it is spoken, once known: until then the face stays
   * neutral and no cues are planned. `delivery` is ignored when this is given.
   */
  later?: Promise<Delivery>;
  /** Adds a face stream (FaceFrames) made from the visemes; none when absent. */
  face?: FaceOptions;
}

/** The time a performance is paced by, ms; real time unless a test gives its own. */
export interface PaceClock {
  now(): number;
  /** Resolves once `ms` have passed on this clock. */
  sleep(ms: number): Promise<void>;
}

const REAL_TIME: PaceClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

export interface SpeakDeps {
  /** The cast member's engine, usually a tier fallback over cached engines. */
  engine: TtsEngine;
  /** Output rate of every audio chunk, Hz. */
  sampleRate?: number;
  /** How far audio is sent ahead of real time, ms (the client's jitter buffer). */
  leadMs?: number;
  metrics?: VoiceMetrics;
  /** Real time by default. */
  clock?: PaceClock;
}

/** A performance in flight. */
export interface PerformanceHandle {
  readonly performanceId: string;
  /** start, then phonemes/visemes/audio in time order, then exactly one end. */
  readonly frames: AsyncIterable<PerformanceFrame>;
  /** Holds audio after the chunk in flight; the performance clock stops with it. */
  pause(): void;
  resume(): void;
  /**
   * Ends the line now: the next frame is PerformanceEnd(interrupted) and no chunk follows; a
   * gesture left open gets its gesture_stop at the cut first.
   * Returns false, and changes nothing, when the line is non-interruptible and `force` is not set.
   */
  stop(options?: { force?: boolean }): boolean;
  readonly ended: Promise<EndFrame>;
}

async function* tap(input: AsyncIterable<string>, see: (fragment: string) => void): AsyncIterable<string> {
  for await (const fragment of input) {
    see(fragment);
    yield fragment;
  }
}

/** Starts speaking a line: text → clauses → TTS → timing → resample → 20 ms chunks → visemes → cues → face, paced. */
export function speak(request: SpeakRequest, deps: SpeakDeps): PerformanceHandle {
  const performanceId = request.performanceId ?? randomUUID();
  const clock = deps.clock ?? REAL_TIME;
  const now = () => clock.now();
  const sampleRate = deps.sampleRate ?? DEFAULT_SAMPLE_RATE;
  const leadMs = deps.leadMs ?? 120;
  const interruptible = request.interruptible ?? true;
  const out = new Channel<PerformanceFrame>();
  const controller = new AbortController();
  const saidAt = now();
  let sentMs = 0;
  let sentSamples = 0;
  const gestures = new OpenGestures();
  let lineText = typeof request.text === 'string' ? request.text : '';
  let finished = false;
  let stoppedAt: number | undefined;
  let resolveEnded: (end: EndFrame) => void = () => undefined;
  const ended = new Promise<EndFrame>((resolve) => {
    resolveEnded = resolve;
  });
  let paused: { at: number; resume: Promise<void>; wake: () => void } | undefined;
  let pausedMs = 0;

  const finish = (reason: EndReason, message = '') => {
    if (finished) return;
    finished = true;
    controller.abort();
    const text = lineText.trim();
    const end: EndFrame = {
      kind: 'end',
      performanceId,
      reason,
      durationMs: sentMs,
      samples: sentSamples,
      message,
      text,
    };
    out.push(end);
    out.close();
    deps.metrics?.performances.inc({ reason });
    if (stoppedAt !== undefined) deps.metrics?.stopMs.observe(now() - stoppedAt);
    paused?.wake();
    resolveEnded(end);
  };

  out.push({
    kind: 'start',
    performanceId,
    npcId: request.npcId,
    text: typeof request.text === 'string' ? request.text : '',
    sampleRate,
    tier: deps.engine.tier,
    engine: deps.engine.name,
    voice: request.voice.voice,
    interruptible,
    faceFps: request.face?.fps ?? 0,
    ...(request.later ? {} : { emotion: request.delivery?.emotion ?? 'neutral' }),
  });

  const run = async () => {
    if (typeof request.text === 'string' && request.text.length > MAX_TEXT_CHARS) {
      finish('failed', `text is ${request.text.length} characters; the limit is ${MAX_TEXT_CHARS}`);
      return;
    }
    const ctx: StageContext = { performanceId, signal: controller.signal };
    const text =
      typeof request.text === 'string'
        ? textStream(request.text)
        : tap(request.text, (fragment) => {
            lineText += fragment;
          });
    const clauses = splitClauses(text, ctx);
    const spoken = request.audio ?? synthesizeAhead(clauses, { ...ctx, engine: deps.engine, voice: request.voice });
    const timed = toVisemes(chunkPcm(resample(spoken, { ...ctx, sampleRate }), { ...ctx, sampleRate }), ctx);
    const delivery = request.delivery ?? {};
    const cued = toCues(timed, { ...ctx, delivery, later: request.later });
    const { emotion, intensity } = deliveryOf(delivery);
    const frames = request.face
      ? toFace(cued, { ...ctx, face: { ...request.face, emotion, intensity, later: request.later } })
      : cued;
    let clockStart: number | undefined;
    let failure = '';
    for await (const frame of frames) {
      if (finished) return;
      if (frame.kind === 'error') failure = frame.message;
      if (frame.kind === 'audio') {
        if (paused) await paused.resume;
        if (finished) return;
        clockStart ??= now();
        const due = clockStart + pausedMs + frame.startMs - leadMs;
        if (due > now()) await clock.sleep(due - now());
        if (finished) return;
        if (frame.seq === 0) deps.metrics?.firstChunkMs.observe(now() - saidAt);
        sentMs = frame.startMs + frame.durationMs;
        sentSamples += frame.pcm.length;
      }
      gestures.see(frame);
      out.push(frame);
    }
    if (sentMs === 0 && failure) finish('failed', failure);
    else finish('completed', sentMs === 0 ? 'nothing to say' : '');
  };
  run().catch((err: unknown) => finish('failed', err instanceof Error ? err.message : String(err)));

  return {
    performanceId,
    frames: out,
    ended,
    pause() {
      if (paused || finished) return;
      let wake: () => void = () => undefined;
      const resume = new Promise<void>((resolve) => {
        wake = resolve;
      });
      paused = { at: now(), resume, wake };
    },
    resume() {
      if (!paused) return;
      pausedMs += now() - paused.at;
      const { wake } = paused;
      paused = undefined;
      wake();
    },
    stop(options) {
      if (finished) return true;
      if (!interruptible && !options?.force) return false;
      stoppedAt = now();
      gestures.forget(out.retain((f) => !isMedia(f)));
      for (const cue of gestures.closeAt(sentMs, performanceId)) out.push(cue);
      finish('interrupted');
      return true;
    },
  };
}
