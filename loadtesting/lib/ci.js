'use strict';
// Every scenario's short form on loopback, one after another against one local server (its start
// is the slowest step on a small machine), failure recovery last since it kills that server.
// Fails when any threshold or check fails.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { loadScenario, runScenario } = require('./run-scenario');
const { sceneId, writeScenes } = require('./scenes');
const { LocalServer } = require('./server');
const { markdown } = require('./summary');
const { warmServer } = require('./warm');

const ORDER = ['baseline', 'medium', 'high', 'spike', 'sustained', 'failure-recovery'];

async function runCi({ outDir, artilleryBin }) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'stagecraft-loadtest-ci-'));
  const shapes = new Map();
  for (const name of ORDER) {
    const { stagecraft } = loadScenario(name, 'short');
    shapes.set(stagecraft.cast, Math.max(shapes.get(stagecraft.cast) ?? 0, stagecraft.scenes));
  }
  for (const [cast, count] of shapes) writeScenes(path.join(work, 'scenes'), { count, cast });
  const server = await LocalServer.create({
    scenesDir: path.join(work, 'scenes'),
    dataDir: path.join(work, 'data'),
    logFile: path.join(work, 'server.log'),
  });
  const results = [];
  const started = performance.now();
  try {
    await server.start();
    await warmServer(server.url, sceneId([...shapes.keys()][0], 0));
    for (const name of ORDER) {
      const t0 = performance.now();
      const r = await runScenario(name, { short: true, server, outDir, artilleryBin });
      results.push({ name, ok: r.ok, seconds: Math.round((performance.now() - t0) / 1000), summary: r.summary });
      console.log(`\n${markdown(r.summary)}`);
    }
  } finally {
    await server.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
  console.log('\n| scenario (short form) | result | seconds |\n| --- | --- | ---: |');
  for (const r of results) console.log(`| ${r.name} | ${r.ok ? 'passed' : 'FAILED'} | ${r.seconds} |`);
  const failed = results.filter((r) => !r.ok).length;
  console.log(`\nloadtest took ${Math.round((performance.now() - started) / 1000)} s`);
  console.log(`loadtest: ${results.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

module.exports = { runCi, ORDER };
