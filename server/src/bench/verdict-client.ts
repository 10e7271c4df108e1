import os from 'node:os';
import { Client } from '@colyseus/sdk';
import { encodeClientMessage, MessageType, SCENE_ROOM } from '@stagecraft/protocol';
import { loadConfig } from '../config/config.js';
import { startServer } from '../main.js';
import { Listener } from './bench-client.js';

// Verdict round trip at a client: the real server on loopback with the bridge-ambush scene and
// its constraint pack, a Colyseus client proposing actions one after another. A verdict must
// come back within one game frame (16.7 ms at 60 fps). `--short` for CI.
const short = process.argv.includes('--short');
const PROPOSALS = short ? 200 : 2000;
const FRAME_MS = 1000 / 60;
const VERBS = ['attack', 'flee', 'use_item', 'move', 'taunt'];
const q = (v: number[], p: number) =>
  [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(p * v.length))] ?? NaN;

async function main() {
  const env = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', STAGECRAFT_DATA_DIR: 'memory' };
  // Proposals go out back to back here; lift the per-client message rate limit for the measurement.
  const server = await startServer(
    loadConfig({ ...env, STAGECRAFT_CACHE_DIR: 'off', STAGECRAFT_MAX_MESSAGES_PER_SECOND: '1000000' }),
  );
  const rtt: number[] = [];
  try {
    const room = await new Client(server.url).joinOrCreate(SCENE_ROOM, { sceneId: 'bridge-ambush', role: 'game' });
    const listen = new Listener(room);
    for (let i = 0; i < PROPOSALS; i++) {
      const requestId = `b${i}`;
      const verb = VERBS[i % VERBS.length] ?? 'attack';
      const value = { actorId: i % 2 ? 'bandit-1' : 'bandit-chief', verb, targetId: 'player', amount: 5 + (i % 30) };
      const sentAt = performance.now();
      room.sendBytes(MessageType.CLIENT, encodeClientMessage({ requestId, body: { case: 'proposal', value } }));
      const answer = await listen.next((m) => m.requestId === requestId && m.body.case === 'verdict');
      rtt.push(answer.at - sentAt);
    }
    await room.leave();
  } finally {
    await server.close();
  }
  const p99 = q(rtt, 0.99);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `\nVerdict round trip at a client (loopback WebSocket): ${cpu}, ${os.cpus().length} cores, node ${process.version}\n`,
  );
  console.log('| proposals | p50 ms | p99 ms | max ms | budget |');
  console.log('| --- | ---: | ---: | ---: | --- |');
  console.log(
    `| ${PROPOSALS} | ${q(rtt, 0.5).toFixed(2)} | ${p99.toFixed(2)} | ${Math.max(...rtt).toFixed(2)} | p99 ≤ one 60 fps frame (${FRAME_MS.toFixed(1)} ms) |`,
  );
  if (!short && p99 > FRAME_MS) {
    console.error('over budget');
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
