import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, type Performance } from '@stagecraft/sdk';
import { loadConfig } from '../config/config.js';
import { espeakAvailability } from '../engines/tts/espeak-engine.js';
import { startServer } from '../main.js';
import { idleBytesPerS, measureStream, speakLines } from './face-stream.js';
import { measurePlayer } from './face-sync.js';

// `npm run bench:face`: the face stream of real espeak-ng lines. In process: generation cost per
// second of speech, bytes/s on the wire, reconstruction error. At an SDK client over loopback:
// how far ahead of its audio the face arrives, and the audio–face skew at the FacePlayer.
// `--short` for CI. Budgets: ≤ 1.5 kB/s at 30 fps, error ≤ 1/255, skew ≤ one frame.
const short = process.argv.includes('--short');
const LINES = [
  'Welcome to the Rusty Flagon, stranger. Mind the step, and mind the bard.',
  'My mother made me promise: never bet a penny on a pig race.',
  'The caravan leaves at dawn, and nobody waits for stragglers, not even you.',
  'Bring back the amulet, and the baron will pay you in silver, not in promises.',
  'Why would a ghost haunt a brewery? Maybe it simply missed the beer.',
  'Up the hill, past the mill, then left at the broken bridge.',
];
const REPEAT = short ? 1 : 5;
const f = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');

async function atClient(): Promise<Awaited<ReturnType<typeof measurePlayer>>> {
  const scenesDir = mkdtempSync(path.join(os.tmpdir(), 'stagecraft-bench-face-'));
  writeFileSync(path.join(scenesDir, 'bench.yaml'), 'id: bench\ncast:\n  - { id: npc, voice: "espeak-ng:en-us" }\n');
  const env = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', STAGECRAFT_DATA_DIR: 'memory' };
  const server = await startServer(
    loadConfig({ ...env, STAGECRAFT_SCENES_DIR: scenesDir, STAGECRAFT_CACHE_DIR: 'off' }),
  );
  try {
    const scene = await connect(server.url).joinScene('bench', { role: 'game' });
    const arrivals = new Map<
      string,
      { audio: { endMs: number; at: number }[]; face: { untilMs: number; at: number }[] }
    >();
    scene.on('message', (m) => {
      const at = performance.now();
      const body = m.body;
      if (body.case !== 'audio' && body.case !== 'face') return;
      const id = body.value.performanceId;
      const entry = arrivals.get(id) ?? { audio: [], face: [] };
      arrivals.set(id, entry);
      if (body.case === 'audio') entry.audio.push({ endMs: body.value.startMs + body.value.durationMs, at });
      else entry.face.push({ untilMs: ((body.value.firstFrame + body.value.count - 1) * 1000) / body.value.fps, at });
    });
    const performances: Performance[] = [];
    for (let r = 0; r < REPEAT; r++)
      for (const line of LINES) {
        const p = await scene.say('npc', line);
        await p.ended;
        performances.push(p);
      }
    await scene.leave();
    return measurePlayer(performances, arrivals);
  } finally {
    await server.close();
    rmSync(scenesDir, { recursive: true, force: true });
  }
}

async function main() {
  const espeak = espeakAvailability();
  if (!espeak.ok) throw new Error(`bench:face needs espeak-ng: ${espeak.reason}`);
  const lines = await speakLines(Array.from({ length: REPEAT }, () => LINES).flat());
  const rows: string[] = [];
  let failed = false;
  for (const fps of [30, 60]) {
    const m = await measureStream(lines, fps);
    const idle = await idleBytesPerS(fps);
    if (fps === 30 && m.bytesPerS > 1500) failed = true;
    if (m.maxError > 1 / 255 + 1e-6) failed = true;
    rows.push(
      `| ${fps} | ${f(m.speechS)} | ${m.frames} | ${f(m.generateMsPerS, 2)} | ${f(m.stageMsPerS, 2)} | ${f(m.bytesPerS, 0)} | ${f(idle, 0)} | ${f(m.maxError * 255, 2)}/255 |`,
    );
  }
  const sync = await atClient();
  if (sync.maxSkewMs > 1000 / 30 || sync.minLeadMs < 0) failed = true;
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`\nFace stream: ${cpu}, ${os.cpus().length} cores, node ${process.version}\n`);
  console.log(
    '| fps | speech s | frames | generate ms per s of speech | face stage ms per s | bytes/s speaking | bytes/s idle | max reconstruction error |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
  console.log(`\nAt the SDK FacePlayer (loopback, 30 fps, ${sync.performances} lines):\n`);
  console.log(
    '| face ahead of its audio, min / median ms | audio–face lag, mean ms | largest line skew ms | one frame |',
  );
  console.log('| --- | --- | --- | --- |');
  console.log(
    `| ${f(sync.minLeadMs)} / ${f(sync.medianLeadMs)} | ${f(sync.meanLagMs)} | ${f(sync.maxSkewMs)} | ${f(1000 / 30)} ms |`,
  );
  console.log(
    '\nlag: the shift that best aligns the player’s jawOpen with the visemes of the audio’s phoneme timing (negative: face leads)',
  );
  console.log(
    '\nbudgets: ≤ 1500 bytes/s at 30 fps; error ≤ 1/255; skew ≤ one frame; the face never arrives after its audio',
  );
  if (failed) {
    console.error('over budget');
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
