#!/usr/bin/env node
// Checks the server's layers (docs/development.md, "Where things live"): a module imports only
// from its own unit or from units below it, and no modules import each other in a circle.
// Tests (`*.test.ts`) and test support (`test-support/`) may reach anywhere and are not checked.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'server', 'src');

/** Units from the top down; a unit is a folder of server/src (or one file at its top). */
export const LAYERS = [
  ['cli.ts', 'index.ts'],
  ['cli', 'bench'],
  ['infra'],
  ['main.ts'],
  ['app.module.ts'],
  ['health', 'inspector', 'http'],
  ['rooms'],
  ['scenes'],
  ['dialogue'],
  ['performance'],
  ['direction'],
  ['face'],
  ['models'],
  ['engines/tts', 'engines/dialogue'],
  ['engines'],
  ['persistence'],
  ['telemetry'],
  ['logger.ts'],
  ['config'],
  ['media'],
  ['common', 'version.ts'],
];

const rankOf = new Map(LAYERS.flatMap((units, rank) => units.map((u) => [u, rank])));

/** The unit a file (relative to server/src) belongs to: its longest matching unit name. */
function unitOf(rel) {
  const parts = rel.split('/');
  for (let n = parts.length; n > 0; n--) {
    const candidate = parts.slice(0, n).join('/');
    if (rankOf.has(candidate)) return candidate;
  }
  return undefined;
}

function sources(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'test-support') sources(full, out);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const out = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (!spec?.startsWith('.')) continue;
    const target = path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts');
    const line = text.slice(0, m.index).split('\n').length + (m[0].startsWith('\n') ? 1 : 0);
    out.push({ target, line });
  }
  return out;
}

const files = sources(root);
const rel = (f) => path.relative(root, f);
const problems = [];
const graph = new Map();
for (const file of files) {
  const from = rel(file);
  const unit = unitOf(from);
  if (unit === undefined) {
    problems.push(`server/src/${from}: not in any layer; add its folder to LAYERS in scripts/check-imports.mjs`);
    continue;
  }
  const edges = [];
  for (const { target, line } of importsOf(file)) {
    const to = rel(target);
    edges.push(to);
    const toUnit = unitOf(to);
    if (toUnit === undefined || toUnit === unit) continue;
    if (rankOf.get(toUnit) > rankOf.get(unit)) continue;
    const why = rankOf.get(toUnit) === rankOf.get(unit) ? 'a unit beside it' : 'a layer above it';
    problems.push(`server/src/${from}:${line}: ${unit} imports ${to}, ${why} (${toUnit})`);
  }
  graph.set(from, edges);
}

// Circles: Tarjan's strongly connected components over the file graph.
let index = 0;
const stack = [];
const state = new Map();
function visit(v) {
  const s = { index, low: index, onStack: true };
  index++;
  state.set(v, s);
  stack.push(v);
  for (const w of graph.get(v) ?? []) {
    if (!graph.has(w)) continue;
    const t = state.get(w);
    if (!t) {
      visit(w);
      s.low = Math.min(s.low, state.get(w).low);
    } else if (t.onStack) s.low = Math.min(s.low, t.index);
  }
  if (s.low !== s.index) return;
  const component = [];
  let w;
  do {
    w = stack.pop();
    state.get(w).onStack = false;
    component.push(w);
  } while (w !== v);
  if (component.length > 1) problems.push(`import circle: ${component.sort().join(' ↔ ')}`);
}
for (const v of graph.keys()) if (!state.has(v)) visit(v);

if (problems.length > 0) {
  console.error(`check-imports: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`check-imports: ${files.length} modules in ${LAYERS.length} layers; every import points down`);
