import { FaceEncoder } from '@stagecraft/protocol';
import type { Emotion } from '../engines/dialogue/dialogue.js';
import { createFaceState, type FaceFrame as FaceWeights, generateFaceWindow } from '../face/face-timeline.js';
import type { AudioFrame, FaceFrame, PerformanceFrame, StageContext } from './frames.js';

/** How a performance's face is made and packed. */
export interface FaceSettings {
  /** Frames per second: 30 or 60. */
  fps: number;
  emotion: Emotion;
  /** 0..1. */
  intensity: number;
  /** The cast member's expressiveness, 0..2 (1 = as authored). */
  expressiveness: number;
  /** Seeds blinks, saccades and breathing. */
  seed: number;
  /** Frames per FaceFrames message; default fps / 5 (200 ms). */
  batchFrames?: number;
  /** A keyframe at least this often, ms; default 1000. */
  keyframeEveryMs?: number;
}

export interface FaceContext extends StageContext {
  face: FaceSettings;
}

/** Emotion spans end here: the line keeps its emotion to its last frame. */
const LINE_LONG_MS = 24 * 3600 * 1000;

/**
 * Adds the face: FaceFrames messages made from the visemes as they arrive, clause by clause.
 * Face frames for an instant always leave before the audio chunk that plays at that instant, so
 * an audio chunk is held until the face covers it; the face needs the visemes up to
 * FACE_LOOKAHEAD_MS past a frame, so the last ~250 ms of a clause's audio wait for the next
 * clause's visemes (or the end of the line). The frames cover the audio from 0 to its last sample.
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
  let firstCall = true;
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
    const emotions = firstCall
      ? [{ startMs: 0, endMs: LINE_LONG_MS, value: { emotion: settings.emotion, intensity: settings.intensity } }]
      : [];
    firstCall = false;
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

  /** Packs whole batches, then whatever is needed so the face reaches `ms`. */
  function* faceUpTo(ms: number): Iterable<FaceFrame> {
    while (pending.length >= batch) yield pack(batch);
    if (pending.length > 0 && (nextFrame - 1) * frameMs < ms) yield pack(pending.length);
  }

  /** Held audio chunks the face already covers, oldest first. */
  function* releasable(): Iterable<PerformanceFrame> {
    const faceEndMs = (nextFrame + pending.length - 1) * frameMs;
    while (held.length > 0) {
      const chunk = held[0] as AudioFrame;
      const endMs = chunk.startMs + chunk.durationMs;
      if (faceEndMs < endMs) return;
      yield* faceUpTo(endMs);
      yield held.shift() as AudioFrame;
    }
  }

  for await (const frame of input) {
    if (frame.kind === 'visemes' && frame.visemes.length > 0) {
      const untilMs = Math.max(...frame.visemes.map((v) => v.endMs));
      advance(untilMs, frame.visemes);
      yield frame;
    } else if (frame.kind === 'audio') {
      audioEndMs = frame.startMs + frame.durationMs;
      held.push(frame);
      advance(audioEndMs);
    } else {
      yield frame;
      continue;
    }
    yield* releasable();
  }
  if (!state.closed) advance(Math.max(knownMs, audioEndMs) + frameMs, [], true);
  yield* faceUpTo(Number.POSITIVE_INFINITY);
  if (pending.length > 0) yield pack(pending.length);
  yield* held.splice(0);
}
