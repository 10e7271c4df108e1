import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { AudioFrame } from '../../media/frames.js';
import { speak } from '../../performance/speak.js';
import { collect } from '../../performance/test-support/stage-harness.js';
import { PrometheusMetrics } from '../../telemetry/prometheus-metrics.js';
import { EspeakEngine } from './espeak-engine.js';
import { espeakIt } from './test-support/espeak-it.js';
import { DEFAULT_VOICE_SETTINGS } from './tts.js';
import { cacheKey, withCache } from './tts-cache.js';
import { voiceMetrics } from './voice-metrics.js';

const espeak = new EspeakEngine();
const dir = mkdtempSync(path.join(os.tmpdir(), 'stagecraft-cache-'));
afterAll(async () => {
  await espeak.close();
  rmSync(dir, { recursive: true, force: true });
});
const voice = { ...DEFAULT_VOICE_SETTINGS, voice: 'en-us' };

async function audioOf(engine: ReturnType<typeof withCache>): Promise<Buffer> {
  const frames = await collect(
    speak({ npcId: 'n', text: 'A cached line, spoken twice.', voice, performanceId: 'p' }, { engine, leadMs: 60_000 })
      .frames,
  );
  return Buffer.concat(frames.filter((f): f is AudioFrame => f.kind === 'audio').map((f) => Buffer.from(f.pcm.buffer)));
}

describe('TTS cache', () => {
  espeakIt('the cache test')('replays from memory and from disk byte-identically', async () => {
    const prom = new PrometheusMetrics();
    const metrics = voiceMetrics(prom);
    const first = withCache(espeak, { dir, metrics });
    const a = await audioOf(first);
    const b = await audioOf(first);
    const c = await audioOf(withCache(espeak, { dir, metrics }));
    expect(a.length).toBeGreaterThan(10_000);
    expect(b.equals(a)).toBe(true);
    expect(c.equals(a)).toBe(true);
    expect(await prom.read('stagecraft_tts_cache_total', { result: 'memory' })).toBeGreaterThan(0);
    expect(await prom.read('stagecraft_tts_cache_total', { result: 'disk' })).toBeGreaterThan(0);
  });

  it('keys on engine, voice settings and text', () => {
    const k = cacheKey('espeak-ng', { text: 'Hi.', voice });
    expect(cacheKey('espeak-ng', { text: 'Hi.', voice: { ...voice, speed: 1.1 } })).not.toBe(k);
    expect(cacheKey('piper', { text: 'Hi.', voice })).not.toBe(k);
    expect(cacheKey('espeak-ng', { text: 'Hi.', voice })).toBe(k);
  });
});
