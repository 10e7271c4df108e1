import { readFileSync } from 'node:fs';
import os from 'node:os';
import { compilePack } from '../direction/compile-pack.js';
import { simulatePack } from '../direction/sim/simulate.js';

// The designer's tools on the example packs: lint (parse, schema, compile, contradictions) and
// simulate (battles played, checked and summed up). `--short` for CI.
const short = process.argv.includes('--short');
const battles = short ? 50 : 1000;
const lintRuns = short ? 20 : 200;
const root = new URL('../../../constraints/', import.meta.url);
const PACKS = ['boss-must-lose', 'escort-must-survive', 'timed-ambush', 'tavern-no-violence'];

const rows: string[] = [];
for (const name of PACKS) {
  const text = readFileSync(new URL(`${name}.yaml`, root), 'utf8');
  let t = performance.now();
  let result = compilePack(text, `${name}.yaml`);
  for (let i = 1; i < lintRuns; i++) result = compilePack(text, `${name}.yaml`);
  const lintMs = (performance.now() - t) / lintRuns;
  if (!result.pack) throw new Error(`${name} has lint errors`);
  t = performance.now();
  const summary = simulatePack(result.pack, { seed: 1, battles });
  const simMs = performance.now() - t;
  rows.push(
    `| ${name} | ${lintMs.toFixed(2)} ms | ${battles} | ${(simMs / 1000).toFixed(2)} s | ${Math.round((battles * 1000) / simMs)} | ${Math.round(summary.proposals / (simMs / 1000)).toLocaleString('en-US')} |`,
  );
}

const cpus = os.cpus();
console.log(`# bench:designer${short ? ' (short)' : ''}`);
console.log(
  `machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores (one used), load ${os.loadavg()[0]?.toFixed(1)}, node ${process.version}`,
);
console.log('');
console.log('| pack | lint, per file | battles | simulate | battles/s | proposals/s |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(r);
