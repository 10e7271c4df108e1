import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@colyseus/sdk';
import { ControlAction, EndReason, encodeClientMessage, MessageType, SCENE_ROOM } from '@stagecraft/protocol';
import { loadConfig } from '../config/config.js';
import { startServer } from '../main.js';
import { Listener } from './bench-client.js';

// Voice at the client: the real server on loopback, a Colyseus client as an engine plugin would
// be. Measures Say → first audio chunk received, and STOP → PerformanceEnd received, per line.
// `--short` for CI. Budgets (2 CPU cores): first chunk p95 ≤ 150 ms; stop → last chunk p95 ≤ 30 ms.
const short = process.argv.includes('--short');
const LINES = short ? 10 : 60;
const VOICES = (process.env.BENCH_VOICES ?? 'espeak-ng:en-us').split(',');

const q = (v: number[], p: number) =>
  [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(p * v.length))] ?? NaN;
const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');

async function measure(url: string, npcId: string) {
  const room = await new Client(url).joinOrCreate(SCENE_ROOM, { sceneId: 'bench', role: 'game' });
  const listen = new Listener(room);
  const firstChunk: number[] = [];
  const stop: number[] = [];
  let lateChunks = 0;
  for (let i = 0; i < LINES; i++) {
    const text = `Line ${i + 1}: the caravan leaves at dawn, and nobody waits for stragglers, not even you.`;
    const sentAt = performance.now();
    room.sendBytes(MessageType.CLIENT, encodeClientMessage({ body: { case: 'say', value: { npcId, text } } }));
    const first = await listen.next((m) => m.body.case === 'audio' && m.body.value.seq === 0);
    firstChunk.push(first.at - sentAt);
    const id = first.msg.body.case === 'audio' ? first.msg.body.value.performanceId : '';
    await listen.next((m) => m.body.case === 'audio' && m.body.value.performanceId === id && m.body.value.seq === 10);
    const stopAt = performance.now();
    const control = { action: ControlAction.STOP, performanceId: id };
    room.sendBytes(MessageType.CLIENT, encodeClientMessage({ body: { case: 'control', value: control } }));
    const end = await listen.next((m) => m.body.case === 'performanceEnd' && m.body.value.performanceId === id);
    if (end.msg.body.case === 'performanceEnd' && end.msg.body.value.reason !== EndReason.INTERRUPTED) {
      throw new Error(`line ${i + 1} ended ${EndReason[end.msg.body.value.reason]}, not INTERRUPTED`);
    }
    stop.push(end.at - stopAt);
    await new Promise((r) => setTimeout(r, 100));
    lateChunks += listen.log.filter(
      (e) => e.at > end.at && e.msg.body.case === 'audio' && e.msg.body.value.performanceId === id,
    ).length;
  }
  await room.leave();
  return { firstChunk, stop, lateChunks };
}

async function main() {
  const scenesDir = mkdtempSync(path.join(os.tmpdir(), 'stagecraft-bench-'));
  const cast = VOICES.map((v, i) => `  - { id: npc${i}, voice: "${v}" }`).join('\n');
  writeFileSync(path.join(scenesDir, 'bench.yaml'), `id: bench\ncast:\n${cast}\n`);
  const env = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', STAGECRAFT_DATA_DIR: 'memory' };
  const server = await startServer(
    loadConfig({ ...env, STAGECRAFT_SCENES_DIR: scenesDir, STAGECRAFT_CACHE_DIR: 'off' }),
  );
  const rows: string[] = [];
  let failed = false;
  try {
    for (const [i, voice] of VOICES.entries()) {
      const r = await measure(server.url, `npc${i}`);
      const p95First = q(r.firstChunk, 0.95);
      const p95Stop = q(r.stop, 0.95);
      if (!short && (p95First > 150 || p95Stop > 30 || r.lateChunks > 0)) failed = true;
      rows.push(
        `| ${voice} | ${LINES} | ${f(q(r.firstChunk, 0.5))} / ${f(p95First)} | ${f(q(r.stop, 0.5))} / ${f(p95Stop)} | ${r.lateChunks} |`,
      );
    }
  } finally {
    await server.close();
    rmSync(scenesDir, { recursive: true, force: true });
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `\nVoice at the client (loopback WebSocket): ${cpu}, ${os.cpus().length} cores, node ${process.version}\n`,
  );
  console.log(
    '| voice | lines | Say → first chunk at client p50 / p95 ms | STOP → end at client p50 / p95 ms | chunks after end |',
  );
  console.log('| --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
  console.log('\nbudgets: first chunk p95 ≤ 150 ms; stop → last chunk p95 ≤ 30 ms; no chunk after the end');
  if (failed) {
    console.error('over budget');
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
