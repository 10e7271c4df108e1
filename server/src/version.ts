import { readFileSync } from 'node:fs';

/** Version of the server package, read from its package.json. */
export const PACKAGE_VERSION: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;
