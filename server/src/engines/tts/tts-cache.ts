import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LRUCache } from 'lru-cache';
import type { Synthesis, SynthesisRequest, TtsEngine } from './tts.js';
import type { VoiceMetrics } from './voice-metrics.js';

export const DEFAULT_CACHE_DIR = path.join('.stagecraft', 'cache', 'tts');

export interface CacheOptions {
  /** Content-addressed store; undefined keeps the memory cache only. */
  dir?: string;
  /** Entries held in memory. */
  maxEntries?: number;
  metrics?: VoiceMetrics;
}

/** Cache key: sha256 over engine, voice settings and text. */
export function cacheKey(engine: string, request: SynthesisRequest): string {
  const { voice } = request;
  const identity = JSON.stringify([engine, voice.voice, voice.speakerId, voice.speed, voice.pitch, request.text]);
  return createHash('sha256').update(identity).digest('hex');
}

// File: 4-byte header length (LE), JSON header, then float32 samples (LE).
function encode(s: Synthesis): Buffer {
  const header = Buffer.from(
    JSON.stringify({ sampleRate: s.sampleRate, phonemes: s.phonemes, timing: s.timing, engine: s.engine }),
  );
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  return Buffer.concat([length, header, Buffer.from(s.samples.buffer, s.samples.byteOffset, s.samples.byteLength)]);
}

function decode(buf: Buffer): Synthesis {
  const n = buf.readUInt32LE(0);
  const header = JSON.parse(buf.subarray(4, 4 + n).toString('utf8')) as Omit<Synthesis, 'samples'>;
  const body = buf.subarray(4 + n);
  const samples = new Float32Array(body.length / 4);
  Buffer.from(samples.buffer).set(body);
  return { ...header, samples };
}

/**
 * In-memory LRU over a content-addressed disk store, keyed by (engine, voice settings, text). A
 * replay returns the stored samples exactly, so its audio chunks are byte-identical.
 */
export function withCache(engine: TtsEngine, options: CacheOptions = {}): TtsEngine {
  const memory = new LRUCache<string, Synthesis>({ max: options.maxEntries ?? 256 });
  const file = (key: string) => (options.dir ? path.join(options.dir, key.slice(0, 2), `${key}.bin`) : undefined);
  return {
    name: engine.name,
    tier: engine.tier,
    voices: () => engine.voices(),
    async synthesize(request, signal) {
      const key = cacheKey(engine.name, request);
      const hit = memory.get(key);
      if (hit) {
        options.metrics?.cache.inc({ result: 'memory' });
        return hit;
      }
      const where = file(key);
      if (where) {
        try {
          const stored = decode(readFileSync(where));
          memory.set(key, stored);
          options.metrics?.cache.inc({ result: 'disk' });
          return stored;
        } catch {
          // absent or unreadable: synthesize again
        }
      }
      options.metrics?.cache.inc({ result: 'miss' });
      const fresh = await engine.synthesize(request, signal);
      memory.set(key, fresh);
      if (where) {
        try {
          mkdirSync(path.dirname(where), { recursive: true });
          const tmp = `${where}.${process.pid}.${Date.now()}.tmp`;
          writeFileSync(tmp, encode(fresh));
          renameSync(tmp, where);
        } catch {
          // a full or read-only disk must not cost the line its voice
        }
      }
      return fresh;
    },
  };
}
