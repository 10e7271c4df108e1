import type { Logger } from 'pino';
import type { CastVoices } from '../engines/tts/cast-voices.js';
import type { VoiceMetrics } from '../engines/tts/voice-metrics.js';
import { castVoiceOf } from '../engines/tts/voice-registry.js';
import { type PaceClock, speak } from '../performance/speak.js';
import { castTier, type SceneDefinition } from '../scenes/scene-definition.js';
import { OpusAudio } from './wire/opus-audio.js';

/** No pacing: a warm-up line is made as fast as the machine can, and heard by nobody. */
const UNPACED: PaceClock = { now: () => performance.now(), sleep: async () => undefined };
const WARM_LINE = 'Good evening, and welcome.';

/**
 * Speaks one short line, unheard, with each engine and tier the scenes cast (and the face and Opus paths
 * with them), so that engines, voice data, caches and compiled code are ready before the server
 * says it is: the first line after start is then as fast as the tenth. A voice that fails is
 * logged and skipped; its scenes fail the usual way when they use it.
 */
export async function warmVoices(
  scenes: readonly SceneDefinition[],
  voices: CastVoices,
  options: { metrics: VoiceMetrics; faceFps: number; log: Logger },
): Promise<{ voices: number; ms: number }> {
  const t0 = performance.now();
  const seen = new Map<
    string,
    { voice: ReturnType<typeof castVoiceOf> | undefined; tier: ReturnType<typeof castTier> }
  >();
  for (const scene of scenes)
    for (const member of scene.cast) {
      const voice = member.voice === undefined ? undefined : castVoiceOf(member.voice);
      const tier = castTier(member);
      // One line per engine and tier: starting an engine is what makes a first line slow.
      const engine = voice ? (voice.voice.split(':')[0] ?? voice.voice) : 'default';
      if (!seen.has(`${engine}|${tier}`)) seen.set(`${engine}|${tier}`, { voice, tier });
    }
  if (seen.size === 0) seen.set('default', { voice: undefined, tier: 'silver' });
  let warmed = 0;
  for (const { voice, tier } of seen.values()) {
    try {
      const chain = voices.forCast(voice, tier, 'warm-up voice');
      const face = options.faceFps > 0 ? { fps: options.faceFps, expressiveness: 1, seed: 1 } : undefined;
      const handle = speak(
        { text: WARM_LINE, npcId: 'warm-up', voice: chain.settings, interruptible: true, delivery: {}, face },
        { engine: chain.engine, metrics: options.metrics, clock: UNPACED },
      );
      let opus: OpusAudio | undefined;
      for await (const frame of handle.frames) {
        if (frame.kind === 'start') opus = await OpusAudio.open(frame.sampleRate, { bitrate: 24_000, complexity: 10 });
        if (frame.kind === 'audio') opus?.push(frame.pcm, frame.final);
      }
      opus?.close();
      warmed++;
    } catch (e) {
      options.log.warn({ err: e, voice }, 'could not warm a voice; its first line may be slow');
    }
  }
  return { voices: warmed, ms: performance.now() - t0 };
}
