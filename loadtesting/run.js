#!/usr/bin/env node
'use strict';
// The load-test command (`npm run loadtest -- …` at the repository root):
//   run.js <scenario> [--short] [--target URL] [--out DIR] [--play-seconds N]
//                                                           one scenario (loopback server unless --target)
//   run.js ci [--out DIR]                                    every scenario's short form, on loopback
//   run.js scenes <scenario> --out DIR [--short]             the scene files a deployment needs for it
//   run.js report <artillery.json> [--out DIR]               the summary of an artillery report
const path = require('node:path');
const { parseArgs } = require('node:util');

const USAGE =
  'usage: npm run loadtest -- <scenario>|ci|scenes|report [--short] [--target URL] [--out DIR] [--play-seconds N]';

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      short: { type: 'boolean' },
      target: { type: 'string' },
      out: { type: 'string' },
      'play-seconds': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const [command, arg] = positionals;
  if (!command || values.help) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const outDir = path.resolve(values.out ?? path.join(__dirname, 'reports'));
  if (command === 'scenes') return writeScenesFor(arg, values, outDir);
  if (command === 'report') return reportOf(arg, outDir);
  const { ensureArtillery } = require('./lib/install');
  const artilleryBin = ensureArtillery();
  if (command === 'ci') return require('./lib/ci').runCi({ outDir, artilleryBin });
  if (values.target && !/^https?:\/\//.test(values.target))
    throw new Error(`--target ${values.target}: give an http:// or https:// URL`);
  const { runScenario } = require('./lib/run-scenario');
  const key = process.env.STAGECRAFT_OPERATOR_KEY;
  const metricsHeaders = key ? { authorization: `Bearer ${key}` } : {};
  const playSeconds = values['play-seconds'] === undefined ? undefined : Number(values['play-seconds']);
  if (playSeconds !== undefined && !(playSeconds > 0)) {
    throw new Error(`--play-seconds ${values['play-seconds']}: give a number of seconds > 0`);
  }
  const options = { short: values.short, target: values.target, outDir, artilleryBin, metricsHeaders, playSeconds };
  const r = await runScenario(command, options);
  const { markdown } = require('./lib/summary');
  console.log(`\n${markdown(r.summary)}`);
  console.log(
    `loadtest: ${command} ${r.ok ? 'passed' : 'FAILED'}; ${r.files.map((f) => path.relative(process.cwd(), f)).join(', ')}`,
  );
  return r.ok ? 0 : 1;
}

function writeScenesFor(name, values, outDir) {
  if (!name) throw new Error('scenes: name a scenario, e.g. `scenes medium --out ./my-scenes`');
  const { loadScenario } = require('./lib/run-scenario');
  const { writeScenes } = require('./lib/scenes');
  const { stagecraft } = loadScenario(name, values.short ? 'short' : 'full');
  const ids = writeScenes(outDir, { count: stagecraft.scenes, cast: stagecraft.cast });
  console.log(`wrote ${ids.length} scenes of ${stagecraft.cast} NPCs and their pack into ${outDir}`);
  return 0;
}

function reportOf(file, outDir) {
  if (!file) throw new Error('report: name an artillery JSON report');
  const fs = require('node:fs');
  const { summarize, markdown } = require('./lib/summary');
  const { reportPage } = require('./lib/html');
  const name = path.basename(file, '.json');
  const summary = summarize(JSON.parse(fs.readFileSync(file, 'utf8')), { scenario: name });
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, `${name}.md`), markdown(summary));
  fs.writeFileSync(path.join(outDir, `${name}.html`), reportPage(summary, []));
  console.log(markdown(summary));
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(`loadtest: ${e.message}`);
    process.exitCode = 1;
  },
);
