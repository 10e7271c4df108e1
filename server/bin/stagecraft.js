#!/usr/bin/env node
// The `stagecraft` command; `npm run build` writes the CLI it starts.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('stagecraft: the CLI is not built yet; run `npm run build` in the repository first\n');
  process.exit(1);
}
await import(cli.href);
