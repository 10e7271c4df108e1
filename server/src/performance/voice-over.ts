import wavefile from 'wavefile';
import { alignPhonemes, speechRuns } from '../engines/tts/align-timing.js';
import type { TtsEngine, VoiceSettings } from '../engines/tts/tts.js';
import type { ClauseAudio } from '../media/frames.js';
import type { Timed } from '../media/timed.js';
import { audioVisemes, VISEME_PHONEME } from './audio-visemes.js';
import { type PerformanceHandle, type SpeakDeps, speak } from './speak.js';

export interface VoiceOverRequest {
  performanceId?: string;
  npcId: string;
  /** A WAV file (any rate, PCM or float, mono or stereo). */
  wav: Uint8Array;
  /**
   * The words spoken, when known: phoneme timing then comes from the reference engine, aligned to
   * the recording. Without them the visemes are classified from the audio (HeadAudio).
   */
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

async function* recording(request: VoiceOverRequest, deps: VoiceOverDeps): AsyncIterable<ClauseAudio> {
  const { samples, sampleRate } = decodeWav(request.wav);
  const text = request.text?.trim();
  let phonemes: Timed<string>[];
  if (text && deps.reference) {
    // The text's phonemes from the reference engine, stretched onto the recording's speech.
    const ref = await deps.reference.engine.synthesize({ text, voice: deps.reference.voice });
    phonemes = alignPhonemes(ref.phonemes, speechRuns(ref.samples, ref.sampleRate), samples, sampleRate);
  } else {
    // No text: visemes heard in the audio, carried as a phoneme of each viseme.
    const visemes = await audioVisemes(samples, sampleRate);
    phonemes = visemes.map((v) => ({ ...v, value: VISEME_PHONEME[v.value] }));
  }
  yield { kind: 'clause', text: text ?? '', samples, sampleRate, phonemes, timing: 'aligned', engine: 'voice-over' };
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
