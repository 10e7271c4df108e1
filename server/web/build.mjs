#!/usr/bin/env node
// Bundles the stage inspector (main.ts and the SDK) for the browser into server/dist/web/.
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const out = here('../dist/web/');
mkdirSync(out, { recursive: true });
try {
  await build({
    entryPoints: [here('./main.ts')],
    outfile: `${out}main.js`,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'style.css']) copyFileSync(here(`./${file}`), `${out}${file}`);
  console.log(`inspector built into ${out}`);
} catch (e) {
  console.error(`inspector build failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
