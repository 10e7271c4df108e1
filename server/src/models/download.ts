import { createHash, type Hash } from 'node:crypto';
import { open, rename, rm, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { fsStep, ModelsError } from './models-error.js';
import { formatBytes, type Reporter } from './progress.js';
import { hashInto, sha256File } from './verify.js';

/** One file to fetch and the pin it must match. */
export interface DownloadRequest {
  url: string;
  /**
   * Where the verified file goes. Its folder must belong to the pull (a staging folder): a file
   * already there with another hash is replaced, and `<dest>.part` holds the bytes so far.
   */
  dest: string;
  sha256: string;
  /** Expected size in bytes, when known; a server reporting another size is refused before downloading. */
  size?: number;
}

export interface DownloadOptions {
  reporter: Reporter;
  /** A connection that delivers nothing for this long is dropped (the `.part` stays); default 60 s. */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
}

const duration = (ms: number) => (ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`);
const exists = async (p: string) => (await stat(p).catch(() => undefined))?.isFile() === true;
const sizeOf = async (p: string) => (await stat(p).catch(() => undefined))?.size ?? 0;

/**
 * Streams `url` into `<dest>.part`, hashing while it writes, resuming with an HTTP Range request
 * when a `.part` is already there, and renames it to `dest` only once the sha256 matches.
 * Returns `present` when `dest` already had the right hash. Throws ModelsError.
 */
export async function download(req: DownloadRequest, options: DownloadOptions): Promise<'present' | 'downloaded'> {
  const name = path.basename(req.dest);
  const part = `${req.dest}.part`;
  if (await exists(req.dest)) {
    if ((await sha256File(req.dest)) === req.sha256) return 'present';
    await fsStep('remove', req.dest, () => rm(req.dest, { force: true }));
  }
  let have = await sizeOf(part);
  if (req.size !== undefined && have > req.size) have = await discard(part);

  for (let attempt = 0; ; attempt++) {
    const hash = createHash('sha256');
    if (have > 0 && (await hashInto(hash, part)) !== have) throw new ModelsError('io', `${part} changed while reading`);
    const controller = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
    const res = await request(req.url, have, signal, options.idleTimeoutMs ?? 60_000, controller);
    const restart = async (why: string) => {
      await res.body?.cancel().catch(() => {});
      if (attempt > 0) throw new ModelsError('http', `${req.url}: ${why}, again after starting over`, true);
      options.reporter.info(`${name}: ${why}; starting over`);
      have = await discard(part);
    };
    let total: number | undefined;
    if (have > 0 && res.status === 416) {
      const complete = /^bytes \*\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
      await res.body?.cancel().catch(() => {});
      if (complete && Number(complete[1]) === have) {
        await finish(req, part, hash, options.reporter);
        return 'downloaded';
      }
      await restart(`the server refused to resume at byte ${have}`);
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      throw httpError(req.url, res);
    }
    if (have > 0 && res.status !== 206) {
      await restart('the server ignored the range request');
      continue;
    }
    if (res.status === 206) {
      const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
      if (have === 0 || !range || Number(range[1]) !== have) {
        await restart(`the server answered a range that does not start at byte ${have}`);
        continue;
      }
      total = range[3] === '*' ? undefined : Number(range[3]);
    } else {
      const length = res.headers.get('content-length');
      total = length === null ? undefined : Number(length);
    }
    if (req.size !== undefined && total !== undefined && total !== req.size) {
      await res.body?.cancel().catch(() => {});
      if (have > 0) await discard(part);
      throw new ModelsError(
        'size-mismatch',
        `${name}: ${req.url} is ${total} bytes, the pin says ${req.size}; is this the right file or mirror?`,
      );
    }
    await ensureSpace(path.dirname(req.dest), (req.size ?? total ?? 0) - have);
    await receive(res, { part, have, total: req.size ?? total, hash, controller, name, url: req.url, options });
    await finish(req, part, hash, options.reporter);
    return 'downloaded';
  }
}

async function discard(part: string): Promise<number> {
  await fsStep('remove', part, () => rm(part, { force: true }));
  return 0;
}

async function request(
  url: string,
  from: number,
  signal: AbortSignal,
  timeoutMs: number,
  controller: AbortController,
): Promise<Response> {
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  if (from > 0) headers.range = `bytes=${from}-`;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    return await fetch(url, { headers, signal, redirect: 'follow' });
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
    const why = timedOut ? `no answer in ${duration(timeoutMs)}` : cause;
    throw new ModelsError('http', `cannot reach ${url}: ${why}`, true, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

function httpError(url: string, res: Response): ModelsError {
  const hints: Record<number, string> = {
    401: 'the server wants credentials',
    403: 'the file may be gated, or the mirror refuses it',
    404: 'check the name, the pinned revision and, with --mirror, the mirror layout',
    416: 'the server cannot serve this range',
  };
  const hint = hints[res.status] ? ` (${hints[res.status]})` : '';
  const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
  return new ModelsError('http', `GET ${url}: HTTP ${res.status} ${res.statusText}${hint}`.trimEnd(), retryable);
}

async function ensureSpace(dir: string, needed: number): Promise<void> {
  if (needed <= 0) return;
  const fs = await statfs(dir).catch(() => undefined);
  if (!fs) return;
  const free = fs.bavail * fs.bsize;
  if (free < needed)
    throw new ModelsError(
      'io',
      `not enough space in ${dir}: ${formatBytes(needed)} needed, ${formatBytes(free)} free`,
      false,
    );
}

interface Receive {
  part: string;
  have: number;
  total: number | undefined;
  hash: Hash;
  controller: AbortController;
  name: string;
  url: string;
  options: DownloadOptions;
}

/**
 * Appends the response body to the `.part`, hashing and reporting as it goes. Each chunk is
 * written before the next is read, so whatever arrived before a dropped connection is on disk
 * for the next run to resume from.
 */
async function receive(res: Response, r: Receive): Promise<void> {
  const idleMs = r.options.idleTimeoutMs ?? 60_000;
  let received = 0;
  let idle = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      idle = true;
      r.controller.abort();
    }, idleMs);
  };
  const file = await fsStep('write', r.part, () => open(r.part, r.have > 0 ? 'a' : 'w'));
  const progress = r.options.reporter.start(r.name, r.total, r.have);
  arm();
  try {
    for await (const chunk of (res.body ?? []) as AsyncIterable<Uint8Array>) {
      arm();
      await fsStep('write', r.part, () => file.write(chunk));
      r.hash.update(chunk);
      received += chunk.length;
      progress.update(r.have + received);
    }
  } catch (err) {
    if (err instanceof ModelsError) throw err;
    const e = err as Error;
    const cause = (e.cause as Error | undefined)?.message ?? e.message;
    const why = idle ? `no data for ${duration(idleMs)}` : `connection lost (${cause})`;
    throw new ModelsError(
      'interrupted',
      `${r.name}: ${why} after ${formatBytes(r.have + received)}; ${r.part} is kept, run the same command again to resume`,
      true,
      { cause: err },
    );
  } finally {
    clearTimeout(timer);
    progress.stop();
    await file.close().catch(() => {});
  }
  if (r.total !== undefined && r.have + received < r.total)
    throw new ModelsError(
      'interrupted',
      `${r.name}: the server closed the download at ${r.have + received} of ${r.total} bytes; ${r.part} is kept, run the same command again to resume`,
      true,
    );
}

/** Renames the `.part` into place when its hash matches the pin; deletes it when not. */
async function finish(req: DownloadRequest, part: string, hash: Hash, reporter: Reporter): Promise<void> {
  const actual = hash.digest('hex');
  if (actual !== req.sha256) {
    await fsStep('remove', part, () => rm(part, { force: true }));
    throw new ModelsError(
      'hash-mismatch',
      `${path.basename(req.dest)} from ${req.url}: sha256 mismatch: expected ${req.sha256}, got ${actual}; deleted ${part}`,
    );
  }
  await fsStep('move into place', req.dest, () => rename(part, req.dest));
  reporter.info(`${path.basename(req.dest)}: sha256 ${actual} verified`);
}
