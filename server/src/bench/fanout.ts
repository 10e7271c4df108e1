#!/usr/bin/env node
// bench:fanout — media to many clients: the server in its own process, one scene with 20 voices
// speaking at once, 8 game clients and 200 observers (or fewer with --short), in PCM16 and in
// Opus, with and without subscriptions; a game client proposes at 100/s meanwhile. Then the
// first line of a freshly started server against warm ones. Prints tables.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ServerMessage } from '@stagecraft/protocol';
import { BenchClient, processUsage, serverLoop, serverProcess } from './fanout-client.js';

const short = process.argv.includes('--short');
/** `--profile DIR`: the server writes a CPU profile of each run there (node --cpu-prof). */
const profileAt = process.argv.indexOf('--profile');
const profileDir = profileAt > 0 ? process.argv[profileAt + 1] : undefined;
const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
const SECONDS = short ? 10 : 30;
const OBSERVERS = short ? 40 : 200;
const GAMES = 8;
const VOICES = 20;
const LINE = 'The caravan came in at dusk, dusty and loud, and every lantern in the square was lit for it. ';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : (s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN);
};
const f = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '—');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dir = mkdtempSync(path.join(os.tmpdir(), 'stagecraft-fanout-'));
const cast = Array.from({ length: VOICES }, (_, i) => `  - { id: npc-${i + 1}, voice: "espeak-ng:en-us" }`);
writeFileSync(path.join(dir, 'square.yaml'), ['id: square', 'cast:', ...cast, ''].join('\n'));
const ENV = { STAGECRAFT_SCENES_DIR: dir, STAGECRAFT_DATA_DIR: 'memory', STAGECRAFT_CACHE_DIR: 'off' };

interface Run {
  name: string;
  loopP99: number;
  loopMax: number;
  jitterP95: number;
  lost: number;
  verdictP99: number;
  cpu: number;
  rssMb: number;
  /** Lines whose media the server dropped for a slow client, and clients it closed as slow. */
  dropped: number;
  closed: number;
  bytesPerNpcPerClient: number;
  audioKbitPerNpc: number;
}

/** Chunk arrival jitter at one client: each chunk's lateness against the pace of its line's first chunk. */
function jitterOf(arrivals: Map<string, { at: number; startMs: number }[]>): number[] {
  const out: number[] = [];
  for (const chunks of arrivals.values()) {
    const first = chunks[0];
    if (!first) continue;
    let prev = 0;
    for (const c of chunks) {
      const lateness = c.at - first.at - (c.startMs - first.startMs);
      out.push(Math.abs(lateness - prev));
      prev = lateness;
    }
  }
  return out;
}

async function fanout(name: string, audio: 'pcm16' | 'opus', subscribeTo: number): Promise<Run> {
  const { url, child } = await serverProcess(ENV, nodeArgs);
  try {
    const games = await Promise.all(
      Array.from({ length: GAMES }, (_, i) => BenchClient.join(url, { sceneId: 'square', role: 'game', audio }, i < 2)),
    );
    const observers: BenchClient[] = [];
    for (let i = 0; i < OBSERVERS; i++) {
      const media =
        subscribeTo > 0 ? Array.from({ length: subscribeTo }, (_, k) => `npc-${((i + k) % VOICES) + 1}`) : 'all';
      observers.push(await BenchClient.join(url, { sceneId: 'square', role: 'observer', audio, media }));
    }
    const [sample, proposer] = games as [BenchClient, BenchClient];
    const arrivals = new Map<string, { at: number; startMs: number }[]>();
    const seqs = new Map<string, { seqs: number[]; final: boolean }>();
    let audioBytes = 0;
    sample.listen((msg: ServerMessage, at) => {
      if (msg.body.case !== 'audio') return;
      const c = msg.body.value;
      audioBytes += c.pcm.byteLength + c.opus.reduce((k, p) => k + p.byteLength, 0);
      const list = arrivals.get(c.performanceId) ?? [];
      list.push({ at, startMs: c.startMs });
      arrivals.set(c.performanceId, list);
      const s = seqs.get(c.performanceId) ?? { seqs: [], final: false };
      s.seqs.push(c.seq);
      s.final ||= c.final;
      seqs.set(c.performanceId, s);
    });
    const verdicts: number[] = [];
    const asked = new Map<string, number>();
    proposer.listen((msg, at) => {
      const sent = asked.get(msg.requestId);
      if (msg.body.case === 'verdict' && sent !== undefined) verdicts.push(at - sent);
    });
    await sleep(1000);
    const before = processUsage(child.pid ?? 0);
    const bytesBefore = sample.bytes;
    const audioBefore = audioBytes;
    const t0 = performance.now();
    const say = (i: number) =>
      sample.send({
        body: { case: 'say', value: { npcId: `npc-${i + 1}`, text: LINE.repeat(Math.ceil(SECONDS / 5)) } },
      });
    for (let i = 0; i < VOICES; i++) say(i);
    let n = 0;
    const loops: { p99: number; max: number }[] = [];
    while (performance.now() - t0 < SECONDS * 1000) {
      const requestId = `v${n++}`;
      asked.set(requestId, performance.now());
      proposer.send({ requestId, body: { case: 'proposal', value: { actorId: 'npc-1', verb: 'wave' } } });
      await sleep(10);
      if (n % 1000 === 0) loops.push(await serverLoop(url)); // each reading covers the 10 s before it
    }
    const seconds = (performance.now() - t0) / 1000;
    const after = processUsage(child.pid ?? 0);
    const last = await serverLoop(url);
    loops.push(last);
    let lost = 0;
    for (const s of seqs.values()) {
      const max = Math.max(...s.seqs);
      lost += max + 1 - new Set(s.seqs).size;
    }
    const result: Run = {
      name,
      loopP99: Math.max(...loops.map((l) => l.p99)),
      loopMax: Math.max(...loops.map((l) => l.max)),
      jitterP95: pct(jitterOf(arrivals), 95),
      lost,
      verdictP99: pct(verdicts, 99),
      cpu: ((after.cpuSeconds - before.cpuSeconds) / seconds) * 100,
      rssMb: after.rssMb,
      dropped: last.dropped,
      closed: last.closed,
      bytesPerNpcPerClient: (sample.bytes - bytesBefore) / seconds / VOICES,
      audioKbitPerNpc: ((audioBytes - audioBefore) * 8) / seconds / VOICES / 1000,
    };
    for (const c of [...games, ...observers]) c.close();
    return result;
  } finally {
    // A profiled server writes its profile on a clean exit.
    child.kill(profileDir ? 'SIGTERM' : 'SIGKILL');
    if (profileDir) await new Promise((r) => child.once('exit', r));
  }
}

/** Say → first audio at a client on a server that just started, then on the same server warm. */
async function firstLine(): Promise<{ cold: number; warm: number[] }> {
  const { url, child } = await serverProcess(ENV);
  try {
    while ((await fetch(`${url}/readyz`)).status !== 200) await sleep(50);
    const client = await BenchClient.join(url, { sceneId: 'square', role: 'game' }, true);
    let waiting: ((at: number) => void) | undefined;
    client.listen((msg, at) => {
      if (msg.body.case === 'audio' && msg.body.value.seq === 0) waiting?.(at);
    });
    const once = async (i: number) => {
      const got = new Promise<number>((resolve) => {
        waiting = resolve;
      });
      const t = performance.now();
      client.send({
        body: { case: 'say', value: { npcId: `npc-${(i % VOICES) + 1}`, text: `Line ${i}, and welcome.` } },
      });
      return (await got) - t;
    };
    const cold = await once(0);
    const warm: number[] = [];
    for (let i = 1; i <= (short ? 5 : 20); i++) {
      await sleep(1500);
      warm.push(await once(i));
    }
    client.close();
    return { cold, warm };
  } finally {
    child.kill('SIGKILL');
  }
}

const load = os.loadavg().map((l) => l.toFixed(2));
console.log(
  `bench:fanout${short ? ' --short' : ''}: ${GAMES} game clients + ${OBSERVERS} observers, ${VOICES} voices at once for ${SECONDS} s`,
);
console.log(`machine: ${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, load average ${load.join(' ')}\n`);
const runs: Run[] = [];
const only = process.argv.includes('--pcm-only');
runs.push(await fanout('PCM16, every client hears every NPC', 'pcm16', 0));
if (!only) {
  runs.push(await fanout('Opus, every client hears every NPC', 'opus', 0));
  runs.push(await fanout('Opus, each observer hears 2 NPCs', 'opus', 2));
}
console.log(
  '| media | loop delay p99 / max ms | chunk jitter p95 ms | chunks lost | verdict p99 ms | server CPU % | server RSS MB | lines dropped / clients closed as slow | audio kbit/s per NPC at a game client | all bytes/s per NPC |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of runs) {
  console.log(
    `| ${r.name} | ${f(r.loopP99)} / ${f(r.loopMax)} | ${f(r.jitterP95)} | ${r.lost} | ${f(r.verdictP99)} | ${f(r.cpu, 0)} | ${f(r.rssMb, 0)} | ${r.dropped} / ${r.closed} | ${f(r.audioKbitPerNpc)} | ${f(r.bytesPerNpcPerClient, 0)} |`,
  );
}
const line = await firstLine();
console.log('\n| first line, Say → first audio at a client | ms |');
console.log('| --- | --- |');
console.log(`| cold: the first Say after start | ${f(line.cold)} |`);
console.log(`| warm p50 / p95 (${line.warm.length} lines) | ${f(pct(line.warm, 50))} / ${f(pct(line.warm, 95))} |`);
console.log(
  '\nbudgets: loop delay p99 ≤ 20 ms, max ≤ 100 ms; jitter p95 ≤ 10 ms; 0 chunks lost; Opus ≤ 32 kbit/s per NPC; cold ≤ 200 ms; warm p95 ≤ 50 ms',
);
rmSync(dir, { recursive: true, force: true });
process.exit(0);
