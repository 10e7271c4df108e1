import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ModelKind } from './catalogue.js';

/**
 * Where pulled models live under the models directory (`STAGECRAFT_MODELS_DIR`):
 *
 *   tts/piper/<name>/        a Piper voice as SherpaEngine loads it (`piper:<name>`)
 *   tts/espeak-ng-data/      espeak-ng data shared by Piper voices (not pulled; see docs/models.md)
 *   llm/<name>.gguf          a GGUF model for node-llama-cpp
 *   .partial/<kind>/<name>/  downloads in progress (`*.part`) and verified files not yet installed
 */
export function installPath(modelsDir: string, kind: ModelKind, name: string): string {
  return kind === 'piper-voice'
    ? path.join(modelsDir, 'tts', 'piper', name)
    : path.join(modelsDir, 'llm', `${name}.gguf`);
}

export function stagingDir(modelsDir: string, kind: ModelKind, name: string): string {
  return path.join(modelsDir, '.partial', kind, name);
}

/** File name a downloaded file gets in the staging folder. */
export function stagedName(kind: ModelKind, name: string, role: 'model' | 'config'): string {
  if (kind === 'gguf') return `${name}.gguf`;
  return role === 'model' ? `${name}.onnx` : `${name}.onnx.json`;
}

/** The voice id a cast member uses for an installed model, if it is a voice. */
export function voiceId(kind: ModelKind, name: string): string | undefined {
  return kind === 'piper-voice' ? `piper:${name}` : undefined;
}

/** Written into every pulled voice folder: what was pulled, from where, and the installed files' hashes. */
export const VOICE_MANIFEST = 'stagecraft-model.json';

/** The espeak-ng data folder SherpaEngine uses for a voice without its own copy. */
export const sharedEspeakData = (modelsDir: string) => path.join(modelsDir, 'tts', 'espeak-ng-data');

/** Where distributions install espeak-ng data (Debian/Ubuntu `espeak-ng-data`, Fedora, Homebrew). */
const SYSTEM_ESPEAK_DATA = [
  '/usr/lib/x86_64-linux-gnu/espeak-ng-data',
  '/usr/lib/aarch64-linux-gnu/espeak-ng-data',
  '/usr/share/espeak-ng-data',
  '/usr/lib64/espeak-ng-data',
  '/opt/homebrew/share/espeak-ng-data',
  '/usr/local/share/espeak-ng-data',
];

/** An espeak-ng data folder installed on this machine, if any (it has `phontab`). */
export function systemEspeakData(candidates = SYSTEM_ESPEAK_DATA): string | undefined {
  return candidates.find((dir) => existsSync(path.join(dir, 'phontab')));
}
