import { readFileSync } from 'node:fs';
import { loadPack } from '../compile-pack.js';
import type { CompiledPack } from '../compiled-pack.js';

export const PACK_FILES = ['boss-must-lose', 'escort-must-survive', 'timed-ambush', 'tavern-no-violence'] as const;

const root = new URL('../../../../constraints/', import.meta.url);

export function examplePackText(name: string): string {
  return readFileSync(new URL(`${name}.yaml`, root), 'utf8');
}

export function loadExamplePack(name: string): CompiledPack {
  return loadPack(examplePackText(name), `constraints/${name}.yaml`);
}
