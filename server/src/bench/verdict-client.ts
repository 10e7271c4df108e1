import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Client } from '@colyseus/sdk';
import { encodeClientMessage, MessageType, SCENE_ROOM } from '@stagecraft/protocol';
import { Listener } from './bench-client.js';

// Verdict round trip at a game client: the real server, in its own process on loopback, with the
// bridge-ambush scene and its constraint pack; a Colyseus client proposes actions, first one after
// another (each waits for its verdict), then open-loop at 10,000 a second as a busy game would.
// `--short` for CI.
const short = process.argv.includes('--short');
const ONE_BY_ONE = short ? 200 : 2000;
const RATE = 10_000;
const PACED_SECONDS = short ? 0.3 : 3;
const BUDGET_MS = 2;
const VERBS = ['attack', 'flee', 'use_item', 'move', 'taunt'];
const q = (v: number[], p: number) =>
  [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(p * v.length))] ?? NaN;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** `stagecraft serve` in a child process, in memory, with the per-client message rate limit lifted. */
async function startServerProcess(port: number): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  const cli = fileURLToPath(new URL('../cli.js', import.meta.url));
  const child = spawn(process.execPath, [cli, 'serve'], {
    env: {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      STAGECRAFT_DATA_DIR: 'memory',
      STAGECRAFT_CACHE_DIR: 'off',
      STAGECRAFT_MAX_MESSAGES_PER_SECOND: '1000000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (
      await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not become ready within 60 s');
}

function proposal(i: number, requestId: string): Uint8Array {
  const verb = VERBS[i % VERBS.length] ?? 'attack';
  const value = { actorId: i % 2 ? 'bandit-1' : 'bandit-chief', verb, targetId: 'player', amount: 5 + (i % 30) };
  return encodeClientMessage({ requestId, body: { case: 'proposal', value } });
}

async function main() {
  const port = await freePort();
  const server = await startServerProcess(port);
  const oneByOne: number[] = [];
  const paced: number[] = [];
  let pacedSent = 0;
  let pacedSeconds = 0;
  try {
    const room = await new Client(`http://127.0.0.1:${port}`).joinOrCreate(SCENE_ROOM, {
      sceneId: 'bridge-ambush',
      role: 'game',
    });
    const listen = new Listener(room);
    for (let i = 0; i < ONE_BY_ONE; i++) {
      const requestId = `b${i}`;
      const sentAt = performance.now();
      room.sendBytes(MessageType.CLIENT, proposal(i, requestId));
      const answer = await listen.next((m) => m.requestId === requestId && m.body.case === 'verdict');
      oneByOne.push(answer.at - sentAt);
    }

    // Open loop: every proposal due by now goes out, whatever has come back.
    const sentAt = new Map<string, number>();
    const total = Math.round(RATE * PACED_SECONDS);
    const start = performance.now();
    while (pacedSent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - start) * RATE) / 1000));
      for (; pacedSent < due; pacedSent++) {
        const requestId = `r${pacedSent}`;
        sentAt.set(requestId, performance.now());
        room.sendBytes(MessageType.CLIENT, proposal(pacedSent, requestId));
      }
      await new Promise((r) => setImmediate(r));
    }
    pacedSeconds = (performance.now() - start) / 1000;
    const last = `r${total - 1}`;
    await listen.next((m) => m.requestId === last && m.body.case === 'verdict');
    for (const { at, msg } of listen.log) {
      const t = msg.body.case === 'verdict' ? sentAt.get(msg.requestId) : undefined;
      if (t !== undefined) paced.push(at - t);
    }
    await room.leave();
  } finally {
    server.kill('SIGTERM');
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `\nVerdict round trip at a game client (loopback WebSocket, server in its own process): ${cpu}, ${os.cpus().length} cores, node ${process.version}, load ${os.loadavg()[0]?.toFixed(2)}\n`,
  );
  console.log('| proposals | sent at | p50 ms | p99 ms | max ms | budget | |');
  console.log('| --- | --- | ---: | ---: | ---: | --- | --- |');
  const row = (n: number, how: string, v: number[], budget: string, over: boolean) =>
    console.log(
      `| ${n} | ${how} | ${q(v, 0.5).toFixed(2)} | ${q(v, 0.99).toFixed(2)} | ${Math.max(...v).toFixed(2)} | ${budget} | ${over ? 'OVER' : 'ok'} |`,
    );
  row(ONE_BY_ONE, 'one after another', oneByOne, '', false);
  const pacedOver = !(q(paced, 0.99) <= BUDGET_MS) || paced.length !== pacedSent;
  row(
    pacedSent,
    `${Math.round(pacedSent / pacedSeconds).toLocaleString('en-US')}/s`,
    paced,
    `p99 ≤ ${BUDGET_MS} ms`,
    pacedOver,
  );
  if (paced.length !== pacedSent) console.error(`${pacedSent - paced.length} proposals got no verdict`);
  if (!short && pacedOver) {
    console.error('over budget');
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
