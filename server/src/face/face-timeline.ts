import { BLENDSHAPE_COUNT } from '@stagecraft/protocol';
import type { VisemeEvent } from '../media/frames.js';
import type { Timed } from '../media/timed.js';
import { blinkAus, firstBlinkMs, planBlinks } from './blinks.js';
import { BREATH_MS, breathingAus } from './breathing.js';
import { ANTICIPATION_MS, CARRY_OVER_MS, coarticulate } from './coarticulate.js';
import { EMOTION_EASE_MS, type EmotionValue, emotionAus } from './emotion-track.js';
import { checkEmotions, checkExpressiveness, checkFps, checkVisemes } from './face-input.js';
import { mixFace } from './face-mix.js';
import { limitSteps } from './jump-limits.js';
import { LIP_SEAL_REACH_MS, sealBilabials } from './lip-seal.js';
import { seededRng } from './rng.js';
import { type Gaze, gazeAus, planSaccades, type Saccade } from './saccades.js';

/** One face frame: the 52 ARKit weights (0..1, in `ARKIT_BLENDSHAPES` order) at `tMs`. */
export interface FaceFrame {
  tMs: number;
  weights: Float32Array;
}

export interface FaceTimeline {
  fps: number;
  durationMs: number;
  /** Frame i is at `i * 1000 / fps` ms; the last one is the last before `durationMs`. */
  frames: FaceFrame[];
}

export interface FaceOptions {
  /** Frames per second, usually 30 or 60. */
  fps: number;
  /** Seeds blinks, saccades and the breathing phase; the same seed gives the same face. */
  seed: number;
  /** 0..2, default 1: scales speech amplitude (0.5 + 0.5 × e) and emotion amplitude (× e). */
  expressiveness?: number;
}

export interface FaceInput extends FaceOptions {
  visemes: readonly VisemeEvent[];
  emotions: readonly Timed<EmotionValue>[];
  durationMs: number;
}

/**
 * How far ahead of a frame an event can still change it, ms: a window cannot emit frames later
 * than `untilMs − FACE_LOOKAHEAD_MS` until it knows everything starting before `untilMs`.
 */
export const FACE_LOOKAHEAD_MS = Math.max(ANTICIPATION_MS, EMOTION_EASE_MS, LIP_SEAL_REACH_MS);
const LOOKBEHIND_MS = Math.max(CARRY_OVER_MS, LIP_SEAL_REACH_MS);

/** Where a face stream stands between windows. Treat as opaque; every call returns a new one. */
export interface FaceState {
  readonly fps: number;
  readonly expressiveness: number;
  /** Index of the next frame to emit. */
  readonly next: number;
  /** Every event that starts before this has been given. */
  readonly knownUntilMs: number;
  readonly closed: boolean;
  readonly visemes: readonly VisemeEvent[];
  readonly emotions: readonly Timed<EmotionValue>[];
  readonly blinks: readonly Timed<number>[];
  readonly nextBlinkMs: number;
  readonly blinkRng: number;
  readonly saccades: readonly Saccade[];
  readonly nextSaccadeMs: number;
  readonly gaze: Gaze;
  readonly saccadeRng: number;
  readonly breathPhaseMs: number;
  /** The last emitted frame before lip sealing (the jump limiter's memory). */
  readonly previous: Float32Array | null;
}

/** A fresh face stream at t = 0 (the performance clock). */
export function createFaceState(options: FaceOptions): FaceState {
  checkFps(options.fps);
  const expressiveness = options.expressiveness ?? 1;
  checkExpressiveness(expressiveness);
  const blinkRng = seededRng(options.seed);
  const saccadeRng = seededRng(options.seed ^ 0x5bd1e995);
  const nextBlinkMs = firstBlinkMs(blinkRng);
  const breathPhaseMs = saccadeRng.next() * BREATH_MS;
  return {
    fps: options.fps,
    expressiveness,
    next: 0,
    knownUntilMs: Number.NEGATIVE_INFINITY,
    closed: false,
    visemes: [],
    emotions: [],
    blinks: [],
    nextBlinkMs,
    blinkRng: blinkRng.state,
    saccades: [],
    nextSaccadeMs: 400 + saccadeRng.next() * 1000,
    gaze: { x: 0, y: 0 },
    saccadeRng: saccadeRng.state,
    breathPhaseMs,
    previous: null,
  };
}

export interface FaceWindowInput {
  /** Visemes not given before (typically one clause's), on the performance clock. */
  visemes?: readonly VisemeEvent[];
  /** Emotion spans not given before. */
  emotions?: readonly Timed<EmotionValue>[];
  /** The caller's promise: no event given later starts before this, ms. */
  untilMs: number;
  /** The performance ends at `untilMs`: emit every remaining frame before it and close the stream. */
  final?: boolean;
}

/**
 * Streaming face generation, clause by clause. Each call adds the events that just arrived and
 * returns the frames that they settle: every frame not emitted yet with
 * `tMs < untilMs − FACE_LOOKAHEAD_MS` (with `final`, every frame with `tMs < untilMs`). The
 * frames of any sequence of calls are exactly those of {@link generateFace} over all the events,
 * as long as each call keeps the promise of the one before it (an event starting before an
 * earlier `untilMs` is refused with a RangeError naming it). The input state is not modified;
 * a closed state refuses further calls.
 */
export function generateFaceWindow(
  state: FaceState,
  input: FaceWindowInput,
): { state: FaceState; frames: FaceFrame[] } {
  if (state.closed) throw new Error('generateFaceWindow: the face stream is closed (final was given)');
  const visemes = input.visemes ?? [];
  const emotions = input.emotions ?? [];
  checkVisemes(visemes);
  checkEmotions(emotions);
  if (!(input.untilMs >= state.knownUntilMs))
    throw new RangeError(`untilMs: ${input.untilMs} is before the previous untilMs ${state.knownUntilMs}`);
  const late = (list: readonly Timed<unknown>[], name: string) =>
    list.forEach((e, i) => {
      if (e.startMs < state.knownUntilMs)
        throw new RangeError(`${name}[${i}].startMs: ${e.startMs} is before the promised ${state.knownUntilMs}`);
    });
  late(visemes, 'visemes');
  late(emotions, 'emotions');

  const frameMs = 1000 / state.fps;
  const horizon = input.final ? input.untilMs : input.untilMs - FACE_LOOKAHEAD_MS;
  let end = state.next;
  while (end * frameMs < horizon) end++;
  const times = new Float64Array(end - state.next);
  for (let i = 0; i < times.length; i++) times[i] = ((state.next + i) * 1000) / state.fps;
  const allVisemes = [...state.visemes, ...visemes];
  const allEmotions = [...state.emotions, ...emotions];

  const lastT = times.length > 0 ? (times[times.length - 1] as number) : -Infinity;
  const blinkRng = seededRng(state.blinkRng);
  const newBlinks = planBlinks(blinkRng, state.nextBlinkMs, lastT);
  const blinks = [...state.blinks, ...newBlinks.blinks];
  const saccadeRng = seededRng(state.saccadeRng);
  const newSaccades = planSaccades(saccadeRng, state.nextSaccadeMs, lastT, state.gaze);
  const saccades = [...state.saccades, ...newSaccades.saccades];

  const speech = coarticulate(allVisemes, times);
  const mixed = mixFace(
    {
      speech: speech.aus,
      speaking: speech.speaking,
      emotion: emotionAus(allEmotions, times),
      life: [
        blinkAus(blinks, times),
        gazeAus(saccades, times, { x: 0, y: 0 }),
        breathingAus(times, state.breathPhaseMs),
      ],
    },
    state.expressiveness,
  );
  const limited = limitSteps(mixed, state.previous, state.fps);
  const sealed = sealBilabials(limited, times, allVisemes);
  const frames: FaceFrame[] = [];
  for (let i = 0; i < times.length; i++)
    frames.push({
      tMs: times[i] as number,
      weights: sealed.subarray(i * BLENDSHAPE_COUNT, (i + 1) * BLENDSHAPE_COUNT),
    });

  const nextT = (end * 1000) / state.fps;
  return {
    frames,
    state: {
      ...state,
      next: end,
      knownUntilMs: input.untilMs,
      closed: input.final === true,
      visemes: allVisemes.filter((v) => v.endMs + LOOKBEHIND_MS > nextT),
      emotions: allEmotions.filter((e) => e.endMs + EMOTION_EASE_MS > nextT),
      blinks: blinks.filter((b) => b.endMs > nextT),
      nextBlinkMs: newBlinks.nextMs,
      blinkRng: blinkRng.state,
      saccades: saccades.slice(-1),
      nextSaccadeMs: newSaccades.nextMs,
      gaze: newSaccades.gaze,
      saccadeRng: saccadeRng.state,
      previous:
        times.length > 0
          ? limited.slice((times.length - 1) * BLENDSHAPE_COUNT, times.length * BLENDSHAPE_COUNT)
          : state.previous,
    },
  };
}

/**
 * Visemes and an emotion track → face frames over [0, durationMs) at `fps`: coarticulated speech,
 * emotion under it, blinks, saccades and breathing, clamped to 0..1, within the jump limits of
 * `MAX_STEP_PER_MS`, lips sealed at every bilabial. Deterministic for a given seed.
 */
export function generateFace(input: FaceInput): FaceTimeline {
  if (!(input.durationMs >= 0)) throw new RangeError(`durationMs: ${input.durationMs} is not a number ≥ 0`);
  const state = createFaceState(input);
  const { frames } = generateFaceWindow(state, {
    visemes: input.visemes,
    emotions: input.emotions,
    untilMs: input.durationMs,
    final: true,
  });
  return { fps: input.fps, durationMs: input.durationMs, frames };
}

/** The weights at any `tMs`, linear between the two nearest frames (held at the ends). */
export function sampleFace(timeline: FaceTimeline, tMs: number): Float32Array {
  const { frames } = timeline;
  const first = frames[0];
  if (!first) return new Float32Array(BLENDSHAPE_COUNT);
  const f = Math.max(0, Math.min(frames.length - 1, (tMs * timeline.fps) / 1000));
  const i = Math.floor(f);
  const a = (frames[i] ?? first).weights;
  const b = (frames[Math.min(i + 1, frames.length - 1)] ?? first).weights;
  const u = f - i;
  const out = new Float32Array(BLENDSHAPE_COUNT);
  for (let k = 0; k < BLENDSHAPE_COUNT; k++) out[k] = (a[k] as number) + ((b[k] as number) - (a[k] as number)) * u;
  return out;
}
