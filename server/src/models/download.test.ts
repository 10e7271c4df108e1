import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { download } from './download.js';
import { ModelsError } from './models-error.js';
import { streamReporter } from './progress.js';
import { type FixtureServer, startFixtureServer } from './test-support/fixture-server.js';
import { fakeGguf } from './test-support/model-fixtures.js';
import { sha256Bytes } from './verify.js';

const blob = fakeGguf(300_000);
const sha = sha256Bytes(blob);
let server: FixtureServer;
let dir: string;
let log = '';
const reporter = streamReporter(
  {
    write: (s: string) => {
      log += s;
      return true;
    },
  } as NodeJS.WritableStream,
  {
    tty: false,
    intervalMs: 0,
  },
);

beforeAll(async () => {
  server = await startFixtureServer();
  server.set('/m/model.gguf', blob);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'stagecraft-download-'));
  server.requests.length = 0;
  server.ignoreRange = false;
  log = '';
});

const get = (overrides: Partial<Parameters<typeof download>[0]> = {}) =>
  download(
    { url: `${server.url}/m/model.gguf`, dest: path.join(dir, 'model.gguf'), sha256: sha, ...overrides },
    { reporter },
  );
const failure = (p: Promise<unknown>) => p.then(() => new Error('expected a failure')).catch((e: unknown) => e);

describe('download', () => {
  it('streams to a .part, checks the sha256 while writing, then renames it into place', async () => {
    expect(await get({ size: blob.length })).toBe('downloaded');
    expect(readFileSync(path.join(dir, 'model.gguf')).equals(blob)).toBe(true);
    expect(existsSync(path.join(dir, 'model.gguf.part'))).toBe(false);
    expect(log).toContain('model.gguf: downloading 300.0 kB\n');
    expect(log).toMatch(/model\.gguf: \d+\.\d kB of 300\.0 kB \(\d+%\)\n/);
    expect(log).toContain('model.gguf: 300.0 kB of 300.0 kB (100%) in ');
    expect(log).toContain(`model.gguf: sha256 ${sha} verified`);
  });

  it('does not download a file that is already there with the right hash', async () => {
    writeFileSync(path.join(dir, 'model.gguf'), blob);
    expect(await get()).toBe('present');
    expect(server.requests).toEqual([]);
  });

  it('resumes a .part with an HTTP Range request and checks the 206 answer', async () => {
    writeFileSync(path.join(dir, 'model.gguf.part'), blob.subarray(0, 120_000));
    expect(await get({ size: blob.length })).toBe('downloaded');
    expect(server.requests).toEqual([{ path: '/m/model.gguf', range: 'bytes=120000-', status: 206 }]);
    expect(readFileSync(path.join(dir, 'model.gguf')).equals(blob)).toBe(true);
    expect(log).toContain('model.gguf: resuming at 120.0 kB of 300.0 kB (40%)');
  });

  it('resumes after the connection drops mid-download', async () => {
    server.cutOnce('/m/model.gguf', 100_000);
    const err = await failure(get({ size: blob.length }));
    expect(err).toBeInstanceOf(ModelsError);
    expect((err as ModelsError).code).toBe('interrupted');
    expect((err as ModelsError).retryable).toBe(true);
    expect((err as Error).message).toContain('run the same command again to resume');
    const kept = statSync(path.join(dir, 'model.gguf.part')).size;
    expect(kept).toBeGreaterThan(0);
    expect(existsSync(path.join(dir, 'model.gguf'))).toBe(false);

    expect(await get({ size: blob.length })).toBe('downloaded');
    expect(server.requests.at(-1)).toEqual({ path: '/m/model.gguf', range: `bytes=${kept}-`, status: 206 });
    expect(readFileSync(path.join(dir, 'model.gguf')).equals(blob)).toBe(true);
  });

  it('drops a connection that stops sending, keeping what arrived, and one that never answers', async () => {
    const url = `${server.url}/m/model.gguf`;
    const quick = (request: Parameters<typeof download>[0]) => download(request, { reporter, idleTimeoutMs: 300 });
    server.stallOnce('/m/model.gguf', 64 * 1024);
    const stalled = await failure(quick({ url, dest: path.join(dir, 'model.gguf'), sha256: sha }));
    expect((stalled as ModelsError).code).toBe('interrupted');
    expect((stalled as Error).message).toContain('model.gguf: no data for 300 ms after 65.5 kB;');
    expect(statSync(path.join(dir, 'model.gguf.part')).size).toBe(64 * 1024);

    server.stallOnce('/m/model.gguf', -1);
    const silent = await failure(quick({ url, dest: path.join(dir, 'model.gguf'), sha256: sha }));
    expect((silent as Error).message).toBe(`cannot reach ${url}: no answer in 300 ms`);
    expect(await quick({ url, dest: path.join(dir, 'model.gguf'), sha256: sha })).toBe('downloaded');
  });

  it('starts over when the server answers a Range request with the whole file', async () => {
    server.ignoreRange = true;
    writeFileSync(path.join(dir, 'model.gguf.part'), blob.subarray(0, 50_000));
    expect(await get()).toBe('downloaded');
    expect(server.requests.map((r) => r.status)).toEqual([200, 200]);
    expect(log).toContain('model.gguf: the server ignored the range request; starting over');
    expect(readFileSync(path.join(dir, 'model.gguf')).equals(blob)).toBe(true);
  });

  it('treats a .part the server says is complete (416) as done when its hash matches', async () => {
    writeFileSync(path.join(dir, 'model.gguf.part'), blob);
    expect(await get()).toBe('downloaded');
    expect(server.requests.map((r) => r.status)).toEqual([416]);
    expect(readFileSync(path.join(dir, 'model.gguf')).equals(blob)).toBe(true);
  });

  it('deletes the download and names both hashes when the sha256 does not match', async () => {
    const wrong = 'ab'.repeat(32);
    const err = await failure(get({ sha256: wrong }));
    expect((err as ModelsError).code).toBe('hash-mismatch');
    expect((err as Error).message).toContain(`expected ${wrong}, got ${sha}`);
    expect((err as Error).message).toContain(`deleted ${path.join(dir, 'model.gguf.part')}`);
    expect(existsSync(path.join(dir, 'model.gguf.part'))).toBe(false);
    expect(existsSync(path.join(dir, 'model.gguf'))).toBe(false);
  });

  it('a corrupt .part fails the hash after resuming and is deleted, so the next run starts clean', async () => {
    writeFileSync(path.join(dir, 'model.gguf.part'), Buffer.alloc(1000, 7));
    const err = await failure(get());
    expect((err as ModelsError).code).toBe('hash-mismatch');
    expect(existsSync(path.join(dir, 'model.gguf.part'))).toBe(false);
    expect(await get()).toBe('downloaded');
  });

  it('refuses a file whose size differs from the pin before downloading it', async () => {
    const err = await failure(get({ size: 1234 }));
    expect((err as ModelsError).code).toBe('size-mismatch');
    expect((err as Error).message).toContain('is 300000 bytes, the pin says 1234');
    expect(existsSync(path.join(dir, 'model.gguf.part'))).toBe(false);
  });

  it('reports an HTTP error with its status and the URL', async () => {
    const err = await failure(get({ url: `${server.url}/m/missing.gguf` }));
    expect((err as ModelsError).code).toBe('http');
    expect((err as Error).message).toBe(
      `GET ${server.url}/m/missing.gguf: HTTP 404 Not Found (check the name, the pinned revision and, with --mirror, the mirror layout)`,
    );
    expect(existsSync(path.join(dir, 'model.gguf.part'))).toBe(false);
  });

  it('names the path when it cannot write there', async () => {
    const blocked = path.join(dir, 'not-a-folder');
    writeFileSync(blocked, 'a file where a folder should be');
    const err = await failure(get({ dest: path.join(blocked, 'model.gguf') }));
    expect((err as ModelsError).code).toBe('io');
    expect((err as Error).message).toMatch(
      new RegExp(`^cannot write ${path.join(blocked, 'model.gguf.part').replace(/[.]/g, '\\.')}: .*\\(ENOTDIR\\)$`),
    );
  });

  it('says when the server cannot be reached', async () => {
    const err = await failure(get({ url: 'http://127.0.0.1:1/m/model.gguf' }));
    expect((err as ModelsError).code).toBe('http');
    expect((err as Error).message).toMatch(/^cannot reach http:\/\/127\.0\.0\.1:1\/m\/model\.gguf: /);
  });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
