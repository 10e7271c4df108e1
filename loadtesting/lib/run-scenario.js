'use strict';
// One scenario, end to end: scene files and a local server (unless a target is given), artillery
// with the scenario's full or short environment, server samples, the failure-recovery kill, then
// the summary (Markdown, HTML, JSON) in the output folder.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const YAML = require('yaml');
const { reportPage } = require('./html');
const { Sampler } = require('./sampler');
const { sceneId, writeScenes } = require('./scenes');
const { LocalServer } = require('./server');
const { markdown, parseChecks, summarize } = require('./summary');
const { trendChecks } = require('./trend');
const { warmServer } = require('./warm');

const SCENARIOS = path.resolve(__dirname, '..', 'scenarios');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function scenarioNames() {
  return fs
    .readdirSync(SCENARIOS)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => f.slice(0, -4));
}

/** The scenario file and its `config.stagecraft` for one environment (`full` or `short`). */
function loadScenario(name, environment) {
  const file = path.join(SCENARIOS, `${name}.yml`);
  if (!fs.existsSync(file))
    throw new Error(`no scenario "${name}" in loadtesting/scenarios (known: ${scenarioNames().join(', ')})`);
  const script = YAML.parse(fs.readFileSync(file, 'utf8'));
  const env = script.config?.environments?.[environment];
  if (!env) throw new Error(`loadtesting/scenarios/${name}.yml: config.environments.${environment} is missing`);
  return { file, script, stagecraft: mergeDeep(script.config.stagecraft ?? {}, env.stagecraft ?? {}) };
}

/** Objects merged key by key, as artillery merges an environment into `config`; anything else is replaced. */
function mergeDeep(a, b) {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const both = v && typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object';
    out[k] = both ? mergeDeep(out[k], v) : v;
  }
  return out;
}

function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const gb = Math.round(os.totalmem() / 2 ** 30);
  return `${cpu}, ${os.cpus().length} cores, ${gb} GB, node ${process.version}, load average ${os.loadavg()[0].toFixed(2)} at the start`;
}

/** Artillery in a child process; its output is shown and kept (for the ensure results). */
function startArtillery(bin, { file, environment, target, output, overrides }) {
  const args = [bin, 'run', '--environment', environment, '--target', target, '--output', output];
  if (overrides) args.push('--overrides', JSON.stringify(overrides));
  args.push(file);
  const child = spawn(process.execPath, args, {
    cwd: path.dirname(bin),
    env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const keep = (stream, to) =>
    stream.on('data', (d) => {
      text += d;
      to.write(d);
    });
  keep(child.stdout, process.stdout);
  keep(child.stderr, process.stderr);
  const done = new Promise((resolve) => child.on('exit', (code) => resolve({ code: code ?? 1, output: text })));
  return { child, done };
}

/** Waits until the server reports a client (the load has arrived), then kills it and starts it again. */
async function killAndRestart(server, sampler, afterS) {
  while (!sampler.samples.some((s) => s.clients > 0)) await sleep(200);
  await sleep(afterS * 1000);
  const killedAtS = (performance.now() - sampler.started) / 1000;
  await server.kill();
  await server.start();
  const readyAtS = (performance.now() - sampler.started) / 1000;
  return { killedAtS: Number(killedAtS.toFixed(1)), readyAtS: Number(readyAtS.toFixed(1)) };
}

/**
 * Runs scenario `name`. Options: short, target (a deployment's URL; otherwise a local server is
 * started, or `server`, one the caller started and owns), outDir, artilleryBin, metricsHeaders,
 * playSeconds (every user's play time instead of the scenario's).
 * Resolves with { ok, summary, files }.
 */
async function runScenario(name, options) {
  const environment = options.short ? 'short' : 'full';
  const { file, script, stagecraft } = loadScenario(name, environment);
  const overrides = options.playSeconds
    ? { config: { stagecraft: { play: { durationS: options.playSeconds } } } }
    : undefined;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `stagecraft-loadtest-${name}-`));
  let server = options.server;
  const own = !options.target && !server;
  if (own) {
    writeScenes(path.join(work, 'scenes'), { count: stagecraft.scenes, cast: stagecraft.cast });
    server = await LocalServer.create({
      scenesDir: path.join(work, 'scenes'),
      dataDir: path.join(work, 'data'),
      env: stagecraft.server ?? {},
      logFile: path.join(work, 'server.log'),
    });
    await server.start();
    await warmServer(server.url, sceneId(stagecraft.cast, 0));
  }
  const target = options.target ?? server.url;
  fs.mkdirSync(options.outDir, { recursive: true });
  const base = path.join(options.outDir, `${name}${options.short ? '-short' : ''}`);
  const started = machine();
  const run = startArtillery(options.artilleryBin, { file, environment, target, output: `${base}.json`, overrides });
  const sampler = new Sampler({
    metricsUrl: `${target.replace(/\/+$/, '')}/metrics`,
    headers: options.metricsHeaders,
    generatorPid: run.child.pid,
  }).start();
  const events = [];
  const kill = stagecraft.kill && server ? killAndRestart(server, sampler, stagecraft.kill.afterS) : undefined;
  if (stagecraft.kill && !server) {
    console.log(
      `loadtest: ${name} expects a server to fail ${stagecraft.kill.afterS} s into the load: kill one now and let it restart`,
    );
  }
  const result = await run.done;
  if (kill) events.push(await kill);
  const samples = sampler.stop();
  if (own) {
    await server.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
  if (!fs.existsSync(`${base}.json`))
    throw new Error(`artillery wrote no report (exit ${result.code}); see its output above`);
  const report = JSON.parse(fs.readFileSync(`${base}.json`, 'utf8'));
  const checks = parseChecks(result.output);
  if ((script.config.environments[environment].ensure ?? script.config.ensure) && checks.length === 0) {
    checks.push({ ok: false, text: 'artillery printed no ensure results (is `config.plugins.ensure` set?)' });
  }
  const draft = summarize(report, {
    scenario: name,
    short: options.short,
    target: options.target,
    machine: started,
    samples,
  });
  if (stagecraft.trend) checks.push(...trendChecks(draft, samples, stagecraft.trend));
  const summary = { ...draft, checks, events, exitCode: result.code, playSeconds: options.playSeconds };
  fs.writeFileSync(`${base}.md`, markdown(summary));
  fs.writeFileSync(`${base}.html`, reportPage(summary, samples));
  fs.writeFileSync(`${base}.samples.json`, `${JSON.stringify(samples)}\n`);
  const ok = result.code === 0 && checks.every((c) => c.ok);
  return { ok, summary, files: [`${base}.md`, `${base}.html`, `${base}.json`] };
}

module.exports = { runScenario, loadScenario, scenarioNames, mergeDeep };
