import {
  AudioChunkSchema,
  AudioEncoding,
  CUE_KIND,
  CueSchema,
  create,
  EMOTION,
  type EmotionName,
  EndReason,
  FaceFramesSchema,
  PerformanceEndSchema,
  PerformanceStartSchema,
  PhonemeEventsSchema,
  type ServerMessage,
  SubtitleSchema,
  TIER,
  VISEMES,
  VisemeEventsSchema,
} from '@stagecraft/protocol';
import type { PerformanceFrame } from '../../media/frames.js';
import { OPUS_RATE, type OpusPackets } from './opus-audio.js';

const END = { completed: EndReason.COMPLETED, interrupted: EndReason.INTERRUPTED, failed: EndReason.FAILED } as const;
const ms = (v: number) => Math.max(0, Math.round(v));
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** PCM16 samples as little-endian bytes, without copying on little-endian hosts. */
function pcmBytes(pcm: Int16Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const out = new Uint8Array(pcm.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < pcm.length; i++) view.setInt16(i * 2, pcm[i] ?? 0, true);
  return out;
}

/** What the scene adds to a performance's start frame. */
export interface StartContext {
  npcId: string;
  /** Scene clock at performance time 0, ms. */
  sceneClockMs: number;
  /** The line's emotion once known (set by the scene when a generated line finishes). */
  emotion?: EmotionName;
  /** The request that started the line (a Say, or the PlayerLine it answers); '' when none. */
  requestId: string;
}

type Frame<K extends PerformanceFrame['kind']> = Extract<PerformanceFrame, { kind: K }>;

/** A performance's start for the clients that hear it as Opus. */
export function opusStartToWire(frame: Frame<'start'>, start: StartContext): ServerMessage['body'] {
  const body = frameToWire(frame, start);
  if (body?.case !== 'performanceStart') throw new Error('a start frame makes a PerformanceStart');
  return {
    case: 'performanceStart',
    value: create(PerformanceStartSchema, { ...body.value, encoding: AudioEncoding.OPUS, sampleRate: OPUS_RATE }),
  };
}

/** Opus packets of one audio chunk; `seq` counts the Opus chunks of the performance. */
export function opusAudioToWire(frame: Frame<'audio'>, opus: OpusPackets, seq: number): ServerMessage['body'] {
  return {
    case: 'audio',
    value: create(AudioChunkSchema, {
      performanceId: frame.performanceId,
      seq,
      startMs: opus.startMs,
      durationMs: opus.durationMs,
      sampleRate: OPUS_RATE,
      opus: opus.packets,
      final: frame.final,
    }),
  };
}

/** One performance frame as a ServerMessage body; `undefined` for frames that stay on the server. */
export function frameToWire(frame: PerformanceFrame, start: StartContext): ServerMessage['body'] | undefined {
  const performanceId = frame.performanceId;
  switch (frame.kind) {
    case 'start':
      return {
        case: 'performanceStart',
        value: create(PerformanceStartSchema, {
          performanceId,
          npcId: frame.npcId,
          text: frame.text,
          sampleRate: frame.sampleRate,
          encoding: AudioEncoding.PCM16_LE,
          tier: TIER.toWire(frame.tier),
          engine: frame.engine,
          voice: frame.voice,
          interruptible: frame.interruptible,
          ...(frame.emotion ? { emotion: EMOTION.toWire(frame.emotion) } : {}),
          faceFps: frame.faceFps,
          sceneClockMs: ms(start.sceneClockMs),
          requestId: start.requestId,
        }),
      };
    case 'audio':
      return {
        case: 'audio',
        value: create(AudioChunkSchema, {
          performanceId,
          seq: frame.seq,
          startMs: ms(frame.startMs),
          durationMs: ms(frame.durationMs),
          sampleRate: frame.sampleRate,
          pcm: pcmBytes(frame.pcm),
          final: frame.final,
        }),
      };
    case 'text':
      return {
        case: 'subtitle',
        value: create(SubtitleSchema, {
          performanceId,
          startMs: ms(frame.startMs),
          endMs: ms(frame.endMs),
          text: frame.text,
        }),
      };
    case 'phonemes':
      return {
        case: 'phonemes',
        value: create(PhonemeEventsSchema, {
          performanceId,
          phonemes: frame.phonemes.map((p) => ({ startMs: ms(p.startMs), endMs: ms(p.endMs), symbol: p.value })),
        }),
      };
    case 'visemes':
      return {
        case: 'visemes',
        value: create(VisemeEventsSchema, {
          performanceId,
          visemes: frame.visemes.map((v) => ({
            startMs: ms(v.startMs),
            endMs: ms(v.endMs),
            viseme: VISEMES.indexOf(v.value),
            weight: v.weight,
          })),
        }),
      };
    case 'face':
      return {
        case: 'face',
        value: create(FaceFramesSchema, {
          performanceId,
          fps: frame.fps,
          firstFrame: frame.firstFrame,
          count: frame.count,
          keyframe: frame.keyframe,
          data: frame.data,
        }),
      };
    case 'cue':
      return {
        case: 'cue',
        value: create(CueSchema, {
          performanceId,
          npcId: start.npcId,
          startMs: ms(frame.startMs),
          durationMs: ms(frame.durationMs),
          kind: CUE_KIND.toWire(frame.cue),
          intensity: frame.intensity,
        }),
      };
    case 'end':
      return {
        case: 'performanceEnd',
        value: create(PerformanceEndSchema, {
          performanceId,
          npcId: start.npcId,
          reason: END[frame.reason],
          durationMs: ms(frame.durationMs),
          samples: frame.samples,
          message: frame.message,
          text: frame.text,
          ...(start.emotion ? { emotion: EMOTION.toWire(start.emotion) } : {}),
        }),
      };
    case 'error':
      // A recoverable problem inside the stream (a skipped clause, a fallback): the client
      // hears the voice go on; the server logs it.
      return undefined;
  }
}
