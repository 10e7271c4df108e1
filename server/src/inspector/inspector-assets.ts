import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Folder of the built inspector bundle (server/dist/web), from src or dist alike. */
export const INSPECTOR_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

export function inspectorBuilt(): boolean {
  return existsSync(`${INSPECTOR_DIR}index.html`);
}
