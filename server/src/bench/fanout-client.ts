import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Protocol } from '@colyseus/core';
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
        if (data[0] === Protocol.JOIN_ROOM) {
          socket.send(new Uint8Array([Protocol.JOIN_ROOM]));
          resolve();
        } else if (decode && data[0] === Protocol.ROOM_DATA_BYTES && data[1] === MessageType.SERVER) {
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
    frame.set([Protocol.ROOM_DATA_BYTES, MessageType.CLIENT]);
    frame.set(body, 2);
    this.socket.send(frame);
  }

  close(): void {
    this.socket.terminate();
  }
}

/**
 * Read from the server's /metrics: its own event-loop delay gauges (last 10 s), and what
 * back-pressure did so far (lines whose media was dropped for a slow client, clients closed as slow).
 */
export async function serverLoop(url: string): Promise<{ p99: number; max: number; dropped: number; closed: number }> {
  const lines = (await (await fetch(`${url}/metrics`)).text()).split('\n');
  const value = (l: string) => Number(l.split(' ').pop());
  const stat = (s: string) => {
    const line = lines.find((l) => l.startsWith(`stagecraft_event_loop_delay_ms{stat="${s}"`));
    return line ? value(line) : Number.NaN;
  };
  const sum = (prefix: string) => lines.filter((l) => l.startsWith(prefix)).reduce((k, l) => k + value(l), 0);
  return {
    p99: stat('p99'),
    max: stat('max'),
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
