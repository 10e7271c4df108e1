import { type EmotionName, FaceEncoder } from '@stagecraft/protocol';
import { createFaceState, type FaceFrame as FaceWeights, generateFaceWindow } from '../face/face-timeline.js';
import { type Delivery, deliveryOf } from '../media/delivery.js';
import type { AudioFrame, FaceFrame, PerformanceFrame, StageContext } from '../media/frames.js';

/** How a cast member's face moves and is packed, whatever the line. */
export interface FaceOptions {
  /** Frames per second: 30 or 60. */
  fps: number;
  /** The cast member's expressiveness, 0..2 (1 = as authored). */
  expressiveness: number;
  /** Seeds blinks, saccades and breathing. */
  seed: number;
  /** Frames per FaceFrames message; default fps / 5 (200 ms). */
  batchFrames?: number;
  /** A keyframe at least this often, ms; default 1000. */
  keyframeEveryMs?: number;
}

/** How one line's face is made: the cast member's face and the line's emotion. */
export interface FaceSettings extends FaceOptions {
  emotion: EmotionName;
  /** 0..1. */
  intensity: number;
  /**
   * The delivery of a line written while it is spoken: until it resolves the face is neutral;
   * from then on it eases into its emotion. `emotion` and `intensity` are ignored when given.
   */
  later?: Promise<Delivery>;
}

export interface FaceContext extends StageContext {
  face: FaceSettings;
}

/** Audio times are sums of float durations: promise a hair less than a chunk's end. */
const PROMISE_SLACK_MS = 0.01;

/** Emotion spans end here: the line keeps its emotion to its last frame. */
const LINE_LONG_MS = 24 * 3600 * 1000;

/**
 * Adds the face: FaceFrames messages made from the visemes as they arrive, clause by clause.
 * Face frames for an instant always leave before the audio chunk that plays at that instant, so
 * an audio chunk is held until a packed message covers it. A frame needs the visemes up to
 * FACE_LOOKAHEAD_MS past it and messages hold whole batches, so the last ~450 ms of a clause's
 * audio wait for the next clause's visemes (or the end of the line); TTS clauses arrive far ahead
 * of real time, so this costs no audio time. The frames cover the audio from 0 to its last sample.
 */
export async function* toFace(
  input: AsyncIterable<PerformanceFrame>,
  ctx: FaceContext,
): AsyncIterable<PerformanceFrame> {
  const settings = ctx.face;
  const frameMs = 1000 / settings.fps;
  const batch = Math.max(1, settings.batchFrames ?? Math.round(settings.fps / 5));
  const keyEvery = Math.max(1, Math.round((settings.keyframeEveryMs ?? 1000) / frameMs));
  const encoder = new FaceEncoder({ fps: settings.fps });
  let state = createFaceState(settings);
  let knownMs = 0;
  let known: Delivery | undefined = settings.later ? undefined : deliveryOf(settings);
  let arrived: Delivery | undefined;
  settings.later?.then(
    (d) => {
      arrived = deliveryOf(d);
    },
    () => undefined,
  );
  let emotionSent = false;
  let nextFrame = 0;
  let lastKeyframe = -Infinity;
  let audioEndMs = 0;
  const pending: FaceWeights[] = [];
  const held: AudioFrame[] = [];

  const advance = (
    untilMs: number,
    visemes: Parameters<typeof generateFaceWindow>[1]['visemes'] = [],
    final = false,
  ) => {
    knownMs = Math.max(knownMs, untilMs);
    const emotions =
      known && !emotionSent ? [{ startMs: Math.max(state.knownUntilMs, 0), endMs: LINE_LONG_MS, value: known }] : [];
    emotionSent ||= known !== undefined;
    const out = generateFaceWindow(state, { visemes, emotions, untilMs: knownMs, final });
    state = out.state;
    pending.push(...out.frames);
  };

  const pack = (count: number): FaceFrame => {
    const frames = pending.splice(0, count);
    const keyframe = nextFrame - lastKeyframe >= keyEvery;
    if (keyframe) lastKeyframe = nextFrame;
    const packed = encoder.encode(
      frames.map((f) => f.weights),
      nextFrame,
      keyframe,
    );
    nextFrame += frames.length;
    return { kind: 'face', performanceId: ctx.performanceId, ...packed };
  };

  /** Packs whole batches, then releases the held audio chunks the packed face covers. */
  function* releasable(): Iterable<PerformanceFrame> {
    while (pending.length >= batch) yield pack(batch);
    const faceEndMs = (nextFrame - 1) * frameMs;
    while (held.length > 0) {
      const chunk = held[0] as AudioFrame;
      if (faceEndMs < chunk.startMs + chunk.durationMs) return;
      yield held.shift() as AudioFrame;
    }
  }

  for await (const frame of input) {
    if (!known && arrived) known = arrived;
    if (frame.kind === 'visemes' && frame.visemes.length > 0) {
      // A clause's timing may overlap the promise made for the last one by rounding: clip it.
      const visemes = frame.visemes
        .filter((v) => v.endMs > knownMs)
        .map((v) => (v.startMs >= knownMs ? v : { ...v, startMs: knownMs }));
      advance(Math.max(knownMs, ...visemes.map((v) => v.endMs)), visemes);
      yield frame;
    } else if (frame.kind === 'audio') {
      audioEndMs = frame.startMs + frame.durationMs;
      held.push(frame);
      advance(audioEndMs - PROMISE_SLACK_MS);
    } else {
      yield frame;
      continue;
    }
    yield* releasable();
  }
  if (!state.closed) advance(Math.max(knownMs, audioEndMs) + frameMs, [], true);
  while (pending.length > 0) yield pack(Math.min(batch, pending.length));
  yield* held.splice(0);
}
