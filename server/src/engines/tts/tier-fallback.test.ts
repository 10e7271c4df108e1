import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { AudioFrame } from '../../media/frames.js';
import { speak } from '../../performance/speak.js';
import { collect } from '../../performance/test-support/stage-harness.js';
import { PrometheusMetrics } from '../../telemetry/prometheus-metrics.js';
import { EspeakEngine } from './espeak-engine.js';
import { withGuards } from './guarded.js';
import { SherpaEngine } from './sherpa-engine.js';
import { espeakIt } from './test-support/espeak-it.js';
import { withTierFallback } from './tier-fallback.js';
import { type TtsEngine, TtsError } from './tts.js';
import { voiceMetrics } from './voice-metrics.js';
import { VoiceRegistry } from './voice-registry.js';

const espeak = new EspeakEngine('bronze');
const modelsDir = mkdtempSync(path.join(os.tmpdir(), 'stagecraft-fallback-'));
afterAll(async () => {
  await espeak.close();
  rmSync(modelsDir, { recursive: true, force: true });
});
const fallbackIt = espeakIt('tier fallback tests');
const FALLBACKS = 'stagecraft_tier_fallbacks_total';

describe('tier fallback', () => {
  fallbackIt(
    'a crashing gold voice is replaced by the bronze voice; the client hears speech, a metric counts it',
    async () => {
      const dir = path.join(modelsDir, 'tts', 'piper', 'broken');
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'model.onnx'), 'not an onnx model');
      writeFileSync(path.join(dir, 'tokens.txt'), '_ 0\n');
      const gold = new SherpaEngine({ modelsDir, family: 'piper', tier: 'gold' });
      const registry = new VoiceRegistry().add(gold, 'broken').add(espeak, 'en-us');
      const { engine, settings } = registry.resolve({ voice: 'piper:broken', speed: 1.1 });
      const prom = new PrometheusMetrics();
      const metrics = voiceMetrics(prom);
      const chain = withTierFallback(
        registry.fallbacks(engine.tier).map((f) => ({
          engine: withGuards(f.engine, { timeoutMs: 5000, retries: 1 }),
          voice: (v) => (f.engine === engine ? v : { ...v, voice: f.voice }),
        })),
        { deadlineMs: 5000, fallbacks: metrics.fallbacks },
      );
      const frames = await collect(
        speak(
          { npcId: 'n', text: 'You shall not pass, traveller.', voice: settings },
          { engine: chain, leadMs: 60_000 },
        ).frames,
      );
      expect(frames[0]).toMatchObject({ kind: 'start', engine: 'piper', tier: 'gold' });
      expect(frames.filter((f): f is AudioFrame => f.kind === 'audio').length).toBeGreaterThan(20);
      expect(frames.some((f) => f.kind === 'error')).toBe(false);
      expect(frames[frames.length - 1]).toMatchObject({ kind: 'end', reason: 'completed' });
      expect(await prom.read(FALLBACKS, { service: 'tts', from: 'piper', to: 'espeak-ng' })).toBeGreaterThanOrEqual(1);
    },
  );

  fallbackIt('moves on when a tier misses its deadline', async () => {
    // A silent engine stands in for a stalled backend: this test is about the deadline, not the engine.
    const stalled: TtsEngine = {
      name: 'stalled',
      tier: 'silver',
      voices: async () => [],
      synthesize: (_r, signal) =>
        new Promise((_, reject) =>
          signal?.addEventListener('abort', () => reject(new TtsError('stalled', 'aborted', 'aborted'))),
        ),
    };
    const prom = new PrometheusMetrics();
    const metrics = voiceMetrics(prom);
    const chain = withTierFallback(
      [{ engine: stalled }, { engine: espeak, voice: (v) => ({ ...v, voice: 'en-us' }) }],
      {
        deadlineMs: 50,
        fallbacks: metrics.fallbacks,
      },
    );
    const t0 = performance.now();
    const result = await chain.synthesize({
      text: 'Quickly now.',
      voice: { voice: 'x', speakerId: 0, speed: 1, pitch: 1 },
    });
    expect(result.engine).toBe('espeak-ng');
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(await prom.read(FALLBACKS, { service: 'tts', from: 'stalled', to: 'espeak-ng', code: 'timeout' })).toBe(1);
  });

  it('resolves voice strings and rejects bad ones with the field named', () => {
    const registry = new VoiceRegistry().add(espeak, 'en-us');
    expect(registry.resolve({ voice: 'espeak-ng:en-gb', pitch: 1.2 }).settings).toEqual({
      voice: 'en-gb',
      speakerId: 0,
      speed: 1,
      pitch: 1.2,
    });
    expect(() => registry.resolve({ voice: 'en-us' }, 'cast[0].voice')).toThrow(
      'cast[0].voice: "en-us" is not "engine:voice"',
    );
    expect(() => registry.resolve({ voice: 'kokoro:af' })).toThrow('unknown engine "kokoro"');
    expect(() => registry.resolve({ voice: 'espeak-ng:en', speed: 9 })).toThrow('voice.speed: 9 is outside');
  });
});
