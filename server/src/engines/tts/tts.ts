import type { TierName } from '@stagecraft/protocol';
import type { Timed } from '../../media/timed.js';

/** How one cast member's voice sounds on one engine. */
export interface VoiceSettings {
  /** Engine-specific voice name, e.g. `en-us` (espeak-ng) or `en_US-lessac-medium` (piper). */
  voice: string;
  /** Speaker index of a multi-speaker model; 0 otherwise. */
  speakerId: number;
  /** Speaking rate, 1 = the voice's normal rate. */
  speed: number;
  /** Pitch factor, 1 = the voice's normal pitch; engines that cannot change pitch ignore it. */
  pitch: number;
}

export interface SynthesisRequest {
  /** One clause or sentence of plain text. */
  text: string;
  voice: VoiceSettings;
}

/** Phoneme symbol for a pause. */
export const PAUSE = '_';

/** Where the phoneme timing of a synthesis comes from. */
export type TimingSource = 'engine' | 'aligned' | 'none';

/** Audio of one request; phoneme times are ms from its first sample. */
export interface Synthesis {
  samples: Float32Array;
  sampleRate: number;
  phonemes: Timed<string>[];
  timing: TimingSource;
  /** Engine that produced it, when an adapter chose among several. */
  engine?: string;
}

export interface VoiceInfo {
  /** Name to put in {@link VoiceSettings.voice}. */
  voice: string;
  language: string;
  speakers: number;
}

/**
 * A text-to-speech engine. Providers implement this directly; the guard wrapper, the tier
 * fallback and the cache implement it around another engine.
 */
export interface TtsEngine {
  /** Engine id as it appears in voice strings, e.g. `espeak-ng`, `piper`. */
  readonly name: string;
  readonly tier: TierName;
  /** Synthesizes one clause. Rejects with {@link TtsError}; an aborted signal rejects promptly. */
  synthesize(request: SynthesisRequest, signal?: AbortSignal): Promise<Synthesis>;
  /** Voices this engine can speak now. */
  voices(): Promise<VoiceInfo[]>;
}

export type TtsErrorCode = 'unknown-voice' | 'unavailable' | 'timeout' | 'aborted' | 'engine-failed' | 'bad-input';

/** An engine failure; `retryable` says whether the same request may succeed on a second try. */
export class TtsError extends Error {
  constructor(
    readonly engine: string,
    readonly code: TtsErrorCode,
    message: string,
    readonly retryable = false,
    options?: { cause?: unknown },
  ) {
    super(`${engine}: ${message}`, options);
    this.name = 'TtsError';
  }
}

export function abortError(engine: string): TtsError {
  return new TtsError(engine, 'aborted', 'synthesis aborted');
}

export const DEFAULT_VOICE_SETTINGS: Omit<VoiceSettings, 'voice'> = { speakerId: 0, speed: 1, pitch: 1 };
