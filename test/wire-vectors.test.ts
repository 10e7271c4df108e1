import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { espeakAvailability } from '../server/src/engines/tts/espeak-engine.js';
import { startTestServer, type TestServer } from './support/server.js';
import { captureVectors, type Vector, type VectorJson } from './support/wire-vectors.js';

// The golden wire vectors in schemas/vectors/ are what the server sends and expects, byte for
// byte. This test plays their scenarios against a real server and fails when its output differs
// from a vector, leaving out only what each vector marks volatile (ids, tokens, clocks).
// `npm run gen:vectors` writes the files anew from the same scenarios.
const DIR = fileURLToPath(new URL('../schemas/vectors/', import.meta.url));
const writing = process.env.STAGECRAFT_WRITE_VECTORS === '1';
const espeak = espeakAvailability();
if (!espeak.ok) console.warn(`wire vector check skipped: espeak-ng is not installed (${espeak.reason})`);

/** Deletes `path` (dot-separated, `*` for every element of an array) from `node`. */
function drop(node: unknown, keys: string[]): void {
  if (node === null || typeof node !== 'object') return;
  const [key, ...rest] = keys as [string, ...string[]];
  if (key === '*') {
    if (Array.isArray(node)) for (const item of node) drop(item, rest);
    return;
  }
  const record = node as Record<string, unknown>;
  if (rest.length === 0) delete record[key];
  else drop(record[key], rest);
}

/** The JSON without the paths it marks volatile (message paths, or `handshake.…`). */
function stable(json: VectorJson): unknown {
  const copy = JSON.parse(JSON.stringify(json)) as Record<string, unknown>;
  for (const p of json.volatile) {
    const keys = p.split('.');
    drop(keys[0] === 'handshake' ? copy : copy.message, keys);
  }
  return copy;
}

/** The stored vector called `name`, if there is one. */
function storedJson(name: string): VectorJson | undefined {
  const file = path.join(DIR, `${name}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as VectorJson) : undefined;
}

/**
 * Writes the vectors into schemas/vectors and removes stale ones. A stored vector that differs
 * only in what it marks volatile (tokens, clocks) is left as it is, so that writing them again
 * from an unchanged server changes no file.
 */
function write(vectors: Vector[]): void {
  mkdirSync(DIR, { recursive: true });
  const names = new Set(vectors.map((v) => v.name));
  for (const f of readdirSync(DIR)) {
    const match = /^(.*)\.(bin|json)$/.exec(f);
    if (match && !names.has(match[1] ?? '')) rmSync(path.join(DIR, f));
  }
  for (const v of vectors) {
    const stored = storedJson(v.name);
    const same =
      stored !== undefined &&
      existsSync(path.join(DIR, `${v.name}.bin`)) &&
      JSON.stringify(stable(stored)) === JSON.stringify(stable(v.json));
    if (same) continue;
    writeFileSync(path.join(DIR, `${v.name}.bin`), v.bytes);
    writeFileSync(path.join(DIR, `${v.name}.json`), `${JSON.stringify(v.json, null, 2)}\n`);
  }
}

(espeak.ok ? describe : describe.skip)('golden wire vectors', () => {
  let server: TestServer;
  let vectors: Vector[] = [];

  beforeAll(async () => {
    let n = 0;
    // Fixed performance ids: a face's blinks and gaze are seeded from its performance id.
    const performanceIds = () => `0000000${++n}-0000-4000-8000-000000000000`.slice(-36);
    server = await startTestServer({ performanceIds });
    vectors = await captureVectors(server.url);
    if (writing) write(vectors);
  });
  afterAll(async () => server?.close());

  it('are all in schemas/vectors, and no stale ones are', () => {
    const stored = readdirSync(DIR)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''))
      .sort();
    expect(stored).toEqual(vectors.map((v) => v.name).sort());
  });

  it('match what the server sends and expects now (else run `npm run gen:vectors`)', () => {
    const differ = vectors.filter((v) => {
      const stored = JSON.parse(readFileSync(path.join(DIR, `${v.name}.json`), 'utf8')) as VectorJson;
      return JSON.stringify(stable(v.json)) !== JSON.stringify(stable(stored));
    });
    const first = differ[0];
    if (first) {
      const stored = JSON.parse(readFileSync(path.join(DIR, `${first.name}.json`), 'utf8')) as VectorJson;
      expect({ differ: differ.map((v) => v.name), json: stable(first.json) }).toEqual({
        differ: [],
        json: stable(stored),
      });
    }
  });
});
