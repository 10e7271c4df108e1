import type { TtsEngine } from './tts.js';
import type { VoiceMetrics } from './voice-metrics.js';

/** Counts each synthesis on `engine` as in flight on its tier while it runs (`stagecraft_tts_in_flight`). */
export function withInFlight(engine: TtsEngine, metrics: Pick<VoiceMetrics, 'started'>): TtsEngine {
  return {
    name: engine.name,
    tier: engine.tier,
    voices: () => engine.voices(),
    synthesize(request, signal) {
      const done = metrics.started(engine.tier);
      try {
        return engine.synthesize(request, signal).finally(done);
      } catch (e) {
        done();
        throw e;
      }
    },
  };
}
