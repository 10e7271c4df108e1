'use strict';
// What one message costs the load generator: the same game-client load sent through the engine's
// raw-protocol session and through the TypeScript SDK (@stagecraft/sdk), each in its own process,
// against one local server. Prints CPU µs per message (sent + received) in the generator.
//   node loadtesting/bench/client-cost.js [--seconds 10] [--clients 10] [--cast 50]
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Session } = require('../engine/session');
const { loadWire } = require('../engine/wire');
const { writeScenes, sceneId } = require('../lib/scenes');
const { LocalServer } = require('../lib/server');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 10);
const CLIENTS = arg('clients', 10);
const CAST = arg('cast', 50);
const PROPOSALS_PER_S = 100;
const SAY_EVERY_MS = 2000;
const WARM_MS = 2000;

const counter = () => {
  const ee = { sent: 0, received: 0, emit: (kind, name, n) => kind === 'counter' && count(ee, name, n) };
  return ee;
};
function count(ee, name, n) {
  if (name === 'stagecraft.messages_sent') ee.sent += n;
  if (name === 'stagecraft.messages_received') ee.received += n;
}

/** The engine's client: Session over the raw protocol. */
async function rawClients(url) {
  const wire = await loadWire();
  const ee = counter();
  const sessions = [];
  for (let i = 0; i < CLIENTS; i++) {
    const join = { sceneId: sceneId(CAST, i), role: 'game', name: `raw-${i}` };
    const s = new Session(wire, ee, { target: url, join, timeoutMs: 10_000, decodeMedia: false });
    await s.join();
    sessions.push(s);
  }
  const act = (s, i) =>
    s.propose({ actorId: s.cast[i % s.cast.length], verb: 'attack', targetId: 'player', amount: 5 });
  const report = (s) => s.report(s.cast.map((id) => ({ id, health: 50, x: 1, y: 2 })));
  const say = (s, n) => s.say(s.cast[0], `Line number ${n} of the benchmark.`);
  return {
    sessions,
    act,
    report,
    say,
    counts: () => ({ sent: ee.sent, received: ee.received }),
    leave: (s) => s.leave(),
  };
}

/** The TypeScript SDK: StagecraftClient and Scene, with its own decoding and performance streams. */
async function sdkClients(url) {
  const { connect } = await import('@stagecraft/sdk');
  const client = connect(url);
  const sessions = [];
  let received = 0;
  let sent = 0;
  for (let i = 0; i < CLIENTS; i++) {
    const scene = await client.joinScene(sceneId(CAST, i), { role: 'game', name: `sdk-${i}` });
    scene.on('message', () => received++);
    sessions.push(scene);
  }
  const cached = new Map();
  const ids = (scene) => cached.get(scene) ?? cached.set(scene, [...scene.state.cast.keys()]).get(scene);
  const act = (scene, i) => {
    sent++;
    const cast = ids(scene);
    scene.propose({ actorId: cast[i % cast.length], verb: 'attack', targetId: 'player', amount: 5 }).catch(() => {});
  };
  const report = (scene) => {
    sent++;
    scene.report({ actors: ids(scene).map((id) => ({ id, health: 50, x: 1, y: 2 })) });
  };
  const say = (scene, n) => {
    sent++;
    scene.say(ids(scene)[0], `Line number ${n} of the benchmark.`).catch(() => {});
  };
  return { sessions, act, report, say, counts: () => ({ sent, received }), leave: (s) => s.leave() };
}

/** Runs one kind in this process: warm-up, then SECONDS measured. Prints one JSON line. */
async function child(kind, url) {
  const c = kind === 'raw' ? await rawClients(url) : await sdkClients(url);
  let n = 0;
  const tick = setInterval(() => {
    for (const s of c.sessions) for (let k = 0; k < PROPOSALS_PER_S / 10; k++) c.act(s, n++);
  }, 100);
  const reports = setInterval(() => {
    for (const s of c.sessions) c.report(s);
  }, 500);
  const says = setInterval(() => {
    for (const s of c.sessions) c.say(s, n++);
  }, SAY_EVERY_MS);
  await new Promise((r) => setTimeout(r, WARM_MS));
  const before = { cpu: process.cpuUsage(), ...c.counts(), at: performance.now() };
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const cpu = process.cpuUsage(before.cpu);
  const after = c.counts();
  const wallMs = performance.now() - before.at;
  for (const t of [tick, reports, says]) clearInterval(t);
  await Promise.all(c.sessions.map(c.leave));
  const messages = after.sent - before.sent + (after.received - before.received);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  const out = {
    kind,
    sent: after.sent - before.sent,
    received: after.received - before.received,
    cpuMs,
    wallMs,
    messages,
    rssMb,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  process.exit(0);
}

function runChild(kind, url) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [__filename, '--child', kind, url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
    });
    p.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`${kind}: exit ${code}`)),
    );
  });
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stagecraft-client-cost-'));
  writeScenes(path.join(dir, 'scenes'), { count: CLIENTS, cast: CAST });
  const server = await LocalServer.create({
    scenesDir: path.join(dir, 'scenes'),
    dataDir: 'memory',
    logFile: path.join(dir, 'server.log'),
  });
  const rows = [];
  try {
    await server.start();
    for (const kind of ['raw', 'sdk', 'raw', 'sdk', 'raw', 'sdk']) rows.push(await runChild(kind, server.url));
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `\nGenerator CPU per message: ${CLIENTS} game clients × ${CAST} NPCs, ${PROPOSALS_PER_S} proposals/s and 2 world reports/s per client, one Say per client every ${SAY_EVERY_MS / 1000} s; ${SECONDS} s measured after ${WARM_MS / 1000} s; ${cpu}, ${os.cpus().length} cores, node ${process.version}\n`,
  );
  console.log(`load average ${os.loadavg()[0].toFixed(2)} at the end (the server shares the cores)\n`);
  console.log(
    '| client | messages sent | received | generator CPU ms | µs per message | messages per core-second | RSS MB at the end |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const us = (r.cpuMs * 1000) / r.messages;
    console.log(
      `| ${r.kind} | ${r.sent} | ${r.received} | ${r.cpuMs.toFixed(0)} | ${us.toFixed(1)} | ${Math.round(1e6 / us)} | ${r.rssMb.toFixed(0)} |`,
    );
  }
}

if (process.argv[2] === '--child')
  child(process.argv[3], process.argv[4]).catch((e) => {
    console.error(e);
    process.exit(1);
  });
else
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
