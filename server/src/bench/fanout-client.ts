import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type ClientMessageSchema,
  decodeServerMessage,
  encodeClientMessage,
  type MessageInitShape,
  MessageType,
  SCENE_ROOM,
  type ServerMessage,
} from '@stagecraft/protocol';
import { WebSocket } from 'ws';

const JOIN_ROOM = 10;
const ROOM_DATA_BYTES = 17;

/** A server in its own process, started with `env`; resolves once it logs that it listens. */
export async function serverProcess(
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<{ url: string; child: ChildProcess }> {
  const cli = fileURLToPath(new URL('../cli.js', import.meta.url));
  const child = spawn(process.execPath, [...nodeArgs, cli, 'serve'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let rest = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.includes('"listening"')) continue;
        const url = (JSON.parse(line) as { url: string }).url;
        resolve({ url, child });
      }
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code} before listening`)));
  });
}

/**
 * A bench client over a bare WebSocket: counts the bytes it receives and, when `decode` is set,
 * decodes each message and hands it on with its arrival time (a watcher that only counts stays
 * light, so one process can hold hundreds).
 */
export class BenchClient {
  bytes = 0;
  private onMessage: ((msg: ServerMessage, at: number) => void) | undefined;

  private constructor(private readonly socket: WebSocket) {}

  static async join(url: string, options: Record<string, unknown>, decode = false): Promise<BenchClient> {
    const response = await fetch(`${url}/matchmake/joinOrCreate/${SCENE_ROOM}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(options),
    });
    const seat = (await response.json()) as { sessionId: string; roomId: string; processId: string; error?: string };
    if (!response.ok) throw new Error(`matchmaking failed: ${seat.error}`);
    const socket = new WebSocket(
      `${url.replace(/^http/, 'ws')}/${seat.processId}/${seat.roomId}?sessionId=${seat.sessionId}`,
    );
    const client = new BenchClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.on('message', (data: Buffer) => {
        client.bytes += data.byteLength;
        if (data[0] === JOIN_ROOM) {
          socket.send(new Uint8Array([JOIN_ROOM]));
          resolve();
        } else if (decode && data[0] === ROOM_DATA_BYTES && data[1] === MessageType.SERVER) {
          client.onMessage?.(decodeServerMessage(data.subarray(2)), performance.now());
        }
      });
      socket.once('error', reject);
      socket.once('close', (code) => reject(new Error(`closed before joining: ${code}`)));
    });
    return client;
  }

  listen(handler: (msg: ServerMessage, at: number) => void): void {
    this.onMessage = handler;
  }

  send(init: MessageInitShape<typeof ClientMessageSchema>): void {
    const body = encodeClientMessage(init);
    const frame = new Uint8Array(2 + body.length);
    frame.set([ROOM_DATA_BYTES, MessageType.CLIENT]);
    frame.set(body, 2);
    this.socket.send(frame);
  }

  close(): void {
    this.socket.terminate();
  }
}

/** The server's own event-loop delay gauges (last 10 s) and process figures, read from /metrics. */
export async function serverLoop(url: string): Promise<{ p99: number; max: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const stat = (s: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`stagecraft_event_loop_delay_ms{stat="${s}"`));
    return line ? Number(line.split(' ').pop()) : Number.NaN;
  };
  return { p99: stat('p99'), max: stat('max') };
}

/** What back-pressure did to slow clients: lines whose media was dropped, clients closed as slow. */
export async function slowClients(url: string): Promise<{ dropped: number; closed: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const sum = (prefix: string) =>
    text
      .split('\n')
      .filter((l) => l.startsWith(prefix))
      .reduce((k, l) => k + Number(l.split(' ').pop()), 0);
  return {
    dropped: sum('stagecraft_media_dropped_total'),
    closed: sum('stagecraft_clients_closed_total{reason="slow"'),
  };
}

/** CPU seconds (user + system) and resident memory of a process, from /proc. */
export function processUsage(pid: number): { cpuSeconds: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(stat[11]) + Number(stat[12]);
  const rssPages = Number(stat[21]);
  return { cpuSeconds: ticks / 100, rssMb: (rssPages * 4096) / 1024 / 1024 };
}
