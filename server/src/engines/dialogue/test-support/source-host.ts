import { fileURLToPath } from 'node:url';
import type { HostCommand } from '../llama-child-engine.js';

/**
 * The model host run from its TypeScript source through swc, so that tests exercise the code
 * they sit beside rather than whatever was last compiled into dist.
 */
export function sourceHost(): HostCommand {
  return {
    entry: fileURLToPath(new URL('../llama-host.ts', import.meta.url)),
    execArgv: ['--import', new URL('./swc-register.mjs', import.meta.url).href],
  };
}
