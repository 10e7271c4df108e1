import wavefile from 'wavefile';
import { PAUSE, type TtsEngine, type VoiceSettings } from '../engines/tts/tts.js';
import { alignPhonemes, speechRuns } from './align-timing.js';
import type { ClauseAudio, Timed } from './frames.js';
import { type PerformanceHandle, type SpeakDeps, speak } from './speak.js';

export interface VoiceOverRequest {
  performanceId?: string;
  npcId: string;
  /** A WAV file (any rate, PCM or float, mono or stereo). */
  wav: Uint8Array;
  /** The words spoken, when known: phoneme timing then comes from the reference engine, aligned to the recording. */
  text?: string;
  interruptible?: boolean;
}

export interface VoiceOverDeps extends Omit<SpeakDeps, 'engine'> {
  /** Engine with phoneme timing (espeak-ng) and its voice, used to time the text. */
  reference?: { engine: TtsEngine; voice: VoiceSettings };
}

/** Decodes a WAV file to mono float samples; throws an error naming what is wrong with it. */
export function decodeWav(wav: Uint8Array): { samples: Float32Array; sampleRate: number } {
  const file = new wavefile.WaveFile();
  try {
    file.fromBuffer(wav);
  } catch (err) {
    throw new Error(`voice-over: not a readable WAV file (${String(err)})`);
  }
  file.toBitDepth('32f');
  const fmt = file.fmt as { sampleRate: number; numChannels: number };
  const raw = file.getSamples(false, Float64Array) as unknown as Float64Array | Float64Array[];
  const channels = Array.isArray(raw) ? raw : [raw];
  const length = channels[0]?.length ?? 0;
  const samples = new Float32Array(length);
  for (const ch of channels)
    for (let i = 0; i < length; i++) samples[i] = (samples[i] ?? 0) + (ch[i] ?? 0) / channels.length;
  return { samples, sampleRate: fmt.sampleRate };
}

/**
 * Timing for a recording without text: speech runs found by energy become an open mouth (`aa`),
 * pauses silence. Coarse, but it moves the face in time with the voice.
 */
export function energyTimeline(samples: Float32Array, sampleRate: number): Timed<string>[] {
  const durationMs = (samples.length * 1000) / sampleRate;
  const out: Timed<string>[] = [];
  let at = 0;
  for (const [start, end] of speechRuns(samples, sampleRate)) {
    if (start > at) out.push({ startMs: at, endMs: start, value: PAUSE });
    out.push({ startMs: start, endMs: end, value: 'a' });
    at = end;
  }
  if (at < durationMs) out.push({ startMs: at, endMs: durationMs, value: PAUSE });
  return out;
}

async function* recording(request: VoiceOverRequest, deps: VoiceOverDeps): AsyncIterable<ClauseAudio> {
  const { samples, sampleRate } = decodeWav(request.wav);
  let phonemes = energyTimeline(samples, sampleRate);
  let timing: ClauseAudio['timing'] = 'aligned';
  const text = request.text?.trim();
  if (text && deps.reference) {
    const ref = await deps.reference.engine.synthesize({ text, voice: deps.reference.voice });
    phonemes = alignPhonemes(ref.phonemes, speechRuns(ref.samples, ref.sampleRate), samples, sampleRate);
    timing = 'aligned';
  }
  yield { kind: 'clause', text: text ?? '', samples, sampleRate, phonemes, timing, engine: 'voice-over' };
}

/** Plays a recorded line as a performance: paced 20 ms chunks, phonemes and visemes, pause/resume/stop. */
export function speakRecording(request: VoiceOverRequest, deps: VoiceOverDeps): PerformanceHandle {
  const engine: TtsEngine = {
    name: 'voice-over',
    tier: 'bronze',
    voices: async () => [],
    synthesize: () => Promise.reject(new Error('a voice-over is not synthesized')),
  };
  return speak(
    {
      performanceId: request.performanceId,
      npcId: request.npcId,
      text: request.text ?? '',
      voice: { voice: 'recording', speakerId: 0, speed: 1, pitch: 1 },
      interruptible: request.interruptible,
      audio: recording(request, deps),
    },
    { ...deps, engine },
  );
}
