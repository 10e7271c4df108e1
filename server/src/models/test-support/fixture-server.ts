import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  path: string;
  range: string | undefined;
  status: number;
}

/** A local HTTP server on 127.0.0.1 serving fixture files, with HTTP Range support. */
export interface FixtureServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: SeenRequest[];
  /** Serves `body` at `path` (e.g. `/rhasspy/piper-voices/resolve/v1.0.0/x.onnx`). */
  set(path: string, body: Uint8Array): void;
  /** The next GET of `path` sends `bytes` bytes of the body, then drops the connection. */
  cutOnce(path: string, bytes: number): void;
  /**
   * The next GET of `path` sends `bytes` bytes of the body and then nothing, keeping the
   * connection open; with `bytes` < 0 it does not even answer.
   */
  stallOnce(path: string, bytes: number): void;
  /** Answer Range requests with the whole file (200), as some servers do. */
  ignoreRange: boolean;
  close(): Promise<void>;
}

const CHUNK = 16 * 1024;

export async function startFixtureServer(): Promise<FixtureServer> {
  const files = new Map<string, Uint8Array>();
  const cuts = new Map<string, number>();
  const stalls = new Map<string, number>();
  const requests: SeenRequest[] = [];
  const state = { ignoreRange: false };

  const send = (res: ServerResponse, body: Uint8Array, cut: number | undefined, stall: number | undefined) => {
    let at = 0;
    const next = () => {
      if (cut !== undefined && at >= cut) {
        res.socket?.destroy();
        return;
      }
      if (stall !== undefined && at >= stall) return;
      if (at >= body.length) {
        res.end();
        return;
      }
      const end = Math.min(body.length, at + CHUNK, cut ?? stall ?? Number.POSITIVE_INFINITY);
      const ok = res.write(body.subarray(at, end));
      at = end;
      if (ok) setImmediate(next);
      else res.once('drain', next);
    };
    next();
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const range = req.headers.range;
    const seen = (status: number) => requests.push({ path, range, status });
    const body = files.get(path);
    if (req.method !== 'GET' || !body) {
      seen(404);
      res.writeHead(404, 'Not Found', { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const cut = cuts.get(path);
    cuts.delete(path);
    const stall = stalls.get(path);
    stalls.delete(path);
    if (stall !== undefined && stall < 0) {
      seen(0);
      return;
    }
    const m = /^bytes=(\d+)-$/.exec(range ?? '');
    if (m && !state.ignoreRange) {
      const from = Number(m[1]);
      if (from >= body.length) {
        seen(416);
        res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        return;
      }
      seen(206);
      res.writeHead(206, {
        'content-length': body.length - from,
        'content-range': `bytes ${from}-${body.length - 1}/${body.length}`,
        'accept-ranges': 'bytes',
      });
      send(res, body.subarray(from), cut, stall);
      return;
    }
    seen(200);
    res.writeHead(200, { 'content-length': body.length, 'accept-ranges': 'bytes' });
    send(res, body, cut, stall);
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    set: (path, body) => {
      files.set(path, body);
    },
    cutOnce: (path, bytes) => {
      cuts.set(path, bytes);
    },
    stallOnce: (path, bytes) => {
      stalls.set(path, bytes);
    },
    get ignoreRange() {
      return state.ignoreRange;
    },
    set ignoreRange(v: boolean) {
      state.ignoreRange = v;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
