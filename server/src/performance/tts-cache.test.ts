import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { EspeakEngine } from '../engines/tts/espeak-engine.js';
import { espeakIt } from '../engines/tts/test-support/espeak-it.js';
import { DEFAULT_VOICE_SETTINGS } from '../engines/tts/tts.js';
import type { AudioFrame } from './frames.js';
import { counterValue, createVoiceMetrics } from './metrics.js';
import { speak } from './speak.js';
import { collect } from './test-support/stage-harness.js';
import { cacheKey, withCache } from './tts-cache.js';

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
    const metrics = createVoiceMetrics();
    const first = withCache(espeak, { dir, metrics });
    const a = await audioOf(first);
    const b = await audioOf(first);
    const c = await audioOf(withCache(espeak, { dir, metrics }));
    expect(a.length).toBeGreaterThan(10_000);
    expect(b.equals(a)).toBe(true);
    expect(c.equals(a)).toBe(true);
    expect(await counterValue(metrics.cache, { result: 'memory' })).toBeGreaterThan(0);
    expect(await counterValue(metrics.cache, { result: 'disk' })).toBeGreaterThan(0);
  });

  it('keys on engine, voice settings and text', () => {
    const k = cacheKey('espeak-ng', { text: 'Hi.', voice });
    expect(cacheKey('espeak-ng', { text: 'Hi.', voice: { ...voice, speed: 1.1 } })).not.toBe(k);
    expect(cacheKey('piper', { text: 'Hi.', voice })).not.toBe(k);
    expect(cacheKey('espeak-ng', { text: 'Hi.', voice })).toBe(k);
  });
});
