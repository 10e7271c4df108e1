import type { CueKindName, EmotionName, PackedFaceFrames, TierName, VisemeName } from '@stagecraft/protocol';
import type { Timed } from './timed.js';

// The vocabulary of one performance: every frame a performance emits, in one union.
// Each kind maps 1:1 onto a message of schemas/proto/stagecraft/v1/performance.proto.
// Times are ms on the performance clock (0 = first sample); a name ending `S` is seconds.

export const END_REASONS = ['completed', 'interrupted', 'failed'] as const;
export type EndReason = (typeof END_REASONS)[number];

/** PerformanceStart. */
export interface StartFrame {
  kind: 'start';
  performanceId: string;
  npcId: string;
  text: string;
  sampleRate: number;
  tier: TierName;
  engine: string;
  voice: string;
  interruptible: boolean;
  /** Face frames per second; 0 when no face stream follows. */
  faceFps: number;
  /** The line's emotion; absent when it is known only once the line is written. */
  emotion?: EmotionName;
}

/** AudioChunk: PCM16 LE mono; seq 0, 1, 2 … without gaps; `final` on the last one. */
export interface AudioFrame {
  kind: 'audio';
  performanceId: string;
  seq: number;
  startMs: number;
  durationMs: number;
  sampleRate: number;
  pcm: Int16Array;
  final: boolean;
}

/** Subtitle: one clause of the line's text, over the span its audio takes. */
export interface TextFrame {
  kind: 'text';
  performanceId: string;
  startMs: number;
  endMs: number;
  text: string;
}

/** PhonemeEvents: IPA symbols as the engine reports them. */
export interface PhonemesFrame {
  kind: 'phonemes';
  performanceId: string;
  phonemes: Timed<string>[];
  /** The clause these phonemes speak; stays on the server (cues are planned from it). */
  clause?: string;
}

export interface VisemeEvent extends Timed<VisemeName> {
  /** 0..1. */
  weight: number;
}

/** VisemeEvents. */
export interface VisemesFrame {
  kind: 'visemes';
  performanceId: string;
  visemes: VisemeEvent[];
  /** The clause these visemes speak; stays on the server. */
  clause?: string;
}

/** FaceFrames: a run of packed ARKit-52 frames (see schemas/src/face-codec.ts). */
export interface FaceFrame extends PackedFaceFrames {
  kind: 'face';
  performanceId: string;
}

/** Cue: a body-language cue for the engine to animate. */
export interface CueFrame {
  kind: 'cue';
  performanceId: string;
  startMs: number;
  durationMs: number;
  cue: CueKindName;
  intensity: number;
}

/** A recoverable problem inside the stream (for example a tier fallback); the performance goes on. */
export interface ErrorFrame {
  kind: 'error';
  performanceId: string;
  atMs: number;
  message: string;
  recoverable: boolean;
}

/** PerformanceEnd: the last frame; nothing of the performance follows it. */
export interface EndFrame {
  kind: 'end';
  performanceId: string;
  reason: EndReason;
  /** Audio sent, ms: the performance stopped here on its clock. */
  durationMs: number;
  /** Audio sent, samples at the performance's sample rate. */
  samples: number;
  message: string;
  /** The text of the line as it came in (for a streamed line, what had arrived by its end). */
  text: string;
}

export type PerformanceFrame =
  | StartFrame
  | AudioFrame
  | TextFrame
  | PhonemesFrame
  | VisemesFrame
  | FaceFrame
  | CueFrame
  | ErrorFrame
  | EndFrame;

export type FrameKind = PerformanceFrame['kind'];

/**
 * Frames that carry the timeline of the line itself. After a stop they are dropped;
 * `start`, `error` and `end` are control frames and always pass.
 */
export const MEDIA_KINDS: ReadonlySet<FrameKind> = new Set(['audio', 'text', 'phonemes', 'visemes', 'face', 'cue']);

export function isMedia(
  frame: PerformanceFrame,
): frame is AudioFrame | TextFrame | PhonemesFrame | VisemesFrame | FaceFrame | CueFrame {
  return MEDIA_KINDS.has(frame.kind);
}

/** One clause of synthesized speech as it flows between stages (not sent on the wire). */
export interface ClauseAudio {
  kind: 'clause';
  text: string;
  samples: Float32Array;
  sampleRate: number;
  /** Phonemes, ms from the clause's first sample. */
  phonemes: Timed<string>[];
  timing: 'engine' | 'aligned' | 'none';
  engine: string;
}

/** A clause that no engine could speak; stages pass it through and the runner ends the line. */
export interface ClauseFailure {
  kind: 'failure';
  text: string;
  message: string;
}

export type SpeechItem = ClauseAudio | ClauseFailure;

/** Context every stage receives. */
export interface StageContext {
  performanceId: string;
  signal: AbortSignal;
}

/** A stage is a function over streams. */
export type Stage<A, B, C extends StageContext = StageContext> = (input: AsyncIterable<A>, ctx: C) => AsyncIterable<B>;
