import { randomUUID } from 'node:crypto';
import {
  create,
  type DecodedFaceFrame,
  encodeServerMessage,
  FaceDecoder,
  FaceFramesSchema,
} from '@stagecraft/protocol';
import { EspeakEngine } from '../engines/tts/espeak-engine.js';
import { DEFAULT_VOICE_SETTINGS } from '../engines/tts/tts.js';
import { generateFace } from '../face/face-timeline.js';
import type { FaceFrame, PerformanceFrame, VisemeEvent } from '../media/frames.js';
import { speak } from '../performance/speak.js';
import { type FaceSettings, toFace } from '../performance/to-face.js';

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

async function* fromArray<T>(items: readonly T[]): AsyncIterable<T> {
  yield* items;
}

/** Real performance ids are UUIDs: the same length keeps the per-message cost honest. */
const stageContext = (performanceId = randomUUID()) => ({ performanceId, signal: new AbortController().signal });

// The face stream measured in process, on real espeak-ng lines: generation cost, bytes on the
// wire and reconstruction error. Used by bench/face.ts.

/** Bytes a ServerMessage of `protobuf` bytes takes on the WebSocket: frame header + Colyseus code and type. */
export function wireBytes(protobuf: number): number {
  const header = protobuf + 2 < 126 ? 2 : protobuf + 2 < 65_536 ? 4 : 10;
  return header + 2 + protobuf;
}

export function faceMessageBytes(frame: FaceFrame): number {
  const { kind: _kind, ...value } = frame;
  return wireBytes(encodeServerMessage({ body: { case: 'face', value: create(FaceFramesSchema, value) } }).length);
}

export interface SpokenLine {
  frames: PerformanceFrame[];
  visemes: VisemeEvent[];
  audioMs: number;
}

/** Speaks each line with espeak-ng as fast as it can (no pacing) and keeps the frames before the face stage. */
export async function speakLines(lines: string[]): Promise<SpokenLine[]> {
  const engine = new EspeakEngine();
  const out: SpokenLine[] = [];
  try {
    for (const text of lines) {
      const handle = speak(
        { npcId: 'bench', text, voice: { ...DEFAULT_VOICE_SETTINGS, voice: 'en-us' } },
        { engine, leadMs: 3_600_000 },
      );
      const frames = (await collect(handle.frames)).filter((f) => f.kind !== 'start' && f.kind !== 'end');
      const visemes = frames.flatMap((f) => (f.kind === 'visemes' ? f.visemes : []));
      const audioMs = frames.reduce((ms, f) => (f.kind === 'audio' ? f.startMs + f.durationMs : ms), 0);
      out.push({ frames, visemes, audioMs });
    }
  } finally {
    await engine.close();
  }
  return out;
}

export interface StreamFigures {
  speechS: number;
  /** Generation of the whole line at once, ms of CPU per second of speech. */
  generateMsPerS: number;
  /** The face stage as the server runs it (clause windows + packing), ms per second of speech. */
  stageMsPerS: number;
  bytesPerS: number;
  /** Largest |decoded − generated| over every weight of every frame. */
  maxError: number;
  frames: number;
}

const settings = (fps: number): FaceSettings => ({ fps, emotion: 'joy', intensity: 0.6, expressiveness: 1, seed: 11 });
const LINE_LONG_MS = 24 * 3600 * 1000;

/** Runs the face stage over spoken lines at `fps` and measures it. */
export async function measureStream(lines: SpokenLine[], fps: number): Promise<StreamFigures> {
  let speechMs = 0;
  let generateMs = 0;
  let stageMs = 0;
  let bytes = 0;
  let maxError = 0;
  let frames = 0;
  for (const line of lines) {
    speechMs += line.audioMs;
    const face = settings(fps);
    const t0 = performance.now();
    const out = await collect(toFace(fromArray(line.frames), { ...stageContext(), face }));
    stageMs += performance.now() - t0;
    const packed = out.filter((f): f is FaceFrame => f.kind === 'face');
    bytes += packed.reduce((n, f) => n + faceMessageBytes(f), 0);
    const decoder = new FaceDecoder();
    const decoded: DecodedFaceFrame[] = packed.flatMap((f) => decoder.decode(f));
    const knownMs = Math.max(line.audioMs, ...line.visemes.map((v) => v.endMs));
    const t1 = performance.now();
    const truth = generateFace({
      ...face,
      visemes: line.visemes,
      emotions: [{ startMs: 0, endMs: LINE_LONG_MS, value: { emotion: face.emotion, intensity: face.intensity } }],
      durationMs: knownMs + 1000 / fps,
    });
    generateMs += performance.now() - t1;
    if (truth.frames.length !== decoded.length)
      throw new Error(`decoded ${decoded.length} frames, generated ${truth.frames.length}`);
    decoded.forEach((d, i) => {
      const w = truth.frames[i]?.weights ?? new Float32Array();
      for (let k = 0; k < w.length; k++) maxError = Math.max(maxError, Math.abs((d.weights[k] ?? 0) - (w[k] ?? 0)));
    });
    frames += decoded.length;
  }
  const speechS = speechMs / 1000;
  return {
    speechS,
    generateMsPerS: generateMs / speechS,
    stageMsPerS: stageMs / speechS,
    bytesPerS: bytes / speechS,
    maxError,
    frames,
  };
}

/** Bytes per second of a face that only lives (blinks, gaze, breathing): no speech for `ms`. */
export async function idleBytesPerS(fps: number, ms = 20_000): Promise<number> {
  const frames: PerformanceFrame[] = [];
  for (let at = 0; at < ms; at += 20)
    frames.push({
      kind: 'audio',
      performanceId: 'idle',
      seq: at / 20,
      startMs: at,
      durationMs: 20,
      sampleRate: 22050,
      pcm: new Int16Array(0),
      final: at + 20 >= ms,
    });
  const face = { ...settings(fps), emotion: 'neutral' as const };
  const out = await collect(toFace(fromArray(frames), { ...stageContext(), face }));
  const bytes = out.reduce((n, f) => (f.kind === 'face' ? n + faceMessageBytes(f) : n), 0);
  return bytes / (ms / 1000);
}
