import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shared test models folder (`STAGECRAFT_TEST_MODELS_DIR`, else ../shared/models beside the repo). */
export function sharedModelsDir(): string {
  return (
    process.env.STAGECRAFT_TEST_MODELS_DIR ??
    fileURLToPath(new URL('../../../../../../shared/models/', import.meta.url))
  );
}

/** Path of a file in the shared models, or the reason it is missing. */
export function sharedModel(relative: string): { ok: true; path: string } | { ok: false; reason: string } {
  const p = `${sharedModelsDir().replace(/\/$/, '')}/${relative}`;
  return existsSync(p)
    ? { ok: true, path: p }
    : { ok: false, reason: `${p} not found (set STAGECRAFT_TEST_MODELS_DIR)` };
}
