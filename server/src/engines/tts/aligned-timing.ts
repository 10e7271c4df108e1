import { alignPhonemes, speechRuns } from './align-timing.js';
import {
  abortError,
  type Synthesis,
  type SynthesisRequest,
  type TtsEngine,
  type VoiceInfo,
  type VoiceSettings,
} from './tts.js';

/**
 * Gives an engine without phoneme timing (sherpa-onnx) a timeline aligned to its own audio: the
 * reference engine (espeak-ng) speaks the same text, and its phoneme durations are moved onto the
 * audio run by run between pauses. Without a usable reference the result keeps `timing: 'none'`.
 */
export function withAlignedTiming(
  engine: TtsEngine,
  reference: TtsEngine,
  referenceVoice: (voice: VoiceSettings) => VoiceSettings,
): TtsEngine {
  return {
    name: engine.name,
    tier: engine.tier,
    voices: (): Promise<VoiceInfo[]> => engine.voices(),
    async synthesize(request: SynthesisRequest, signal?: AbortSignal): Promise<Synthesis> {
      const voice = referenceVoice(request.voice);
      const [audio, ref] = await Promise.all([
        engine.synthesize(request, signal),
        reference.synthesize({ text: request.text, voice }, signal).catch(() => undefined),
      ]);
      if (signal?.aborted) throw abortError(engine.name);
      if (audio.timing !== 'none' || !ref || audio.samples.length === 0) return audio;
      const runs = speechRuns(ref.samples, ref.sampleRate);
      return {
        ...audio,
        phonemes: alignPhonemes(ref.phonemes, runs, audio.samples, audio.sampleRate),
        timing: 'aligned',
      };
    },
  };
}
