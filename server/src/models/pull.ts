import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { PullSpec } from './catalogue.js';
import { download } from './download.js';
import { installPath, sharedEspeakData, stagedName, stagingDir, systemEspeakData, voiceId } from './layout.js';
import { fsStep, ModelsError } from './models-error.js';
import { checkInstalledVoice, preparePiperVoice } from './piper-install.js';
import type { Reporter } from './progress.js';
import { withPullLock } from './pull-lock.js';
import { sha256File } from './verify.js';

export interface PullOptions {
  /** The models directory (`STAGECRAFT_MODELS_DIR`). */
  modelsDir: string;
  /** Base URL of a mirror; each upstream URL's path (and query) is fetched from it instead. */
  mirror?: string;
  /** Download again even when the installed copy verifies, and replace one that does not. */
  force?: boolean;
  reporter: Reporter;
  idleTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface PullResult {
  status: 'installed' | 'already-installed';
  /** The installed file (GGUF) or folder (voice). */
  path: string;
  /** How a cast member names it, for voices: `piper:<name>`. */
  voiceId?: string;
  /** Things the user still has to do, e.g. install espeak-ng data. */
  notes: string[];
}

/** `https://huggingface.co/a/b?x` with mirror `http://m/hf/` → `http://m/hf/a/b?x`. */
export function mirrorUrl(upstream: string, mirror: string): string {
  let base: URL;
  try {
    base = new URL(mirror);
  } catch {
    throw new ModelsError('bad-request', `mirror "${mirror}" is not a URL (e.g. http://models.internal/hf)`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:')
    throw new ModelsError('bad-request', `mirror "${mirror}" must be an http or https URL`);
  const u = new URL(upstream);
  return `${base.href.replace(/\/+$/, '')}${u.pathname}${u.search}`;
}

/**
 * Installs one model into the models directory: checks what is there, downloads each file with
 * its pinned sha256 into a staging folder, prepares it (Piper: metadata and tokens.txt) and only
 * then moves it into place, so a failed pull never leaves a half-installed model where the
 * engines look. Throws ModelsError.
 */
export async function pull(spec: PullSpec, options: PullOptions): Promise<PullResult> {
  const lock = `${stagingDir(options.modelsDir, spec.kind, spec.name)}.lock`;
  return withPullLock(lock, spec.name, () => pullLocked(spec, options));
}

async function pullLocked(spec: PullSpec, options: PullOptions): Promise<PullResult> {
  const { reporter } = options;
  const final = installPath(options.modelsDir, spec.kind, spec.name);
  const id = voiceId(spec.kind, spec.name);
  const done = (status: PullResult['status']): PullResult => ({
    status,
    path: final,
    ...(id ? { voiceId: id } : {}),
    notes: spec.kind === 'piper-voice' ? espeakNotes(options.modelsDir, final) : [],
  });

  if (existsSync(final)) {
    reporter.info(`${spec.name}: checking the installed copy at ${final}`);
    const check = await checkInstalled(final, spec);
    if (check.ok && !options.force) return done('already-installed');
    if (!check.ok && !options.force)
      throw new ModelsError('conflict', `${final} is already there but ${check.why}; pass --force to replace it`);
  }

  const staging = stagingDir(options.modelsDir, spec.kind, spec.name);
  await fsStep('create', staging, () => mkdir(staging, { recursive: true }));
  for (const file of spec.files) {
    const url = options.mirror ? mirrorUrl(file.url, options.mirror) : file.url;
    const dest = path.join(staging, stagedName(spec.kind, spec.name, file.role));
    const outcome = await download(
      { url, dest, sha256: file.sha256, ...(file.size !== undefined ? { size: file.size } : {}) },
      {
        reporter,
        ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
    if (outcome === 'present') reporter.info(`${path.basename(dest)}: already downloaded and verified`);
  }

  await fsStep('create', path.dirname(final), () => mkdir(path.dirname(final), { recursive: true }));
  if (spec.kind === 'piper-voice') {
    try {
      await preparePiperVoice(staging, spec);
    } catch (e) {
      // The pinned files are not a usable voice: downloading them again would not help.
      if (e instanceof ModelsError && e.code === 'bad-model') await rm(staging, { recursive: true, force: true });
      throw e;
    }
    await replace(staging, final);
  } else {
    await fsStep('move into place', final, () =>
      rename(path.join(staging, stagedName('gguf', spec.name, 'model')), final),
    );
    await fsStep('remove', staging, () => rm(staging, { recursive: true, force: true }));
  }
  return done('installed');
}

async function checkInstalled(final: string, spec: PullSpec): Promise<{ ok: true } | { ok: false; why: string }> {
  if (spec.kind === 'piper-voice') return checkInstalledVoice(final, spec);
  const pinned = spec.files[0]?.sha256;
  const actual = await sha256File(final);
  return actual === pinned ? { ok: true } : { ok: false, why: `its sha256 is ${actual}, not the pinned ${pinned}` };
}

/** Swaps a prepared folder into place; an old copy is moved aside first and removed after. */
async function replace(prepared: string, final: string): Promise<void> {
  const aside = `${final}.replaced-${process.pid}`;
  const hadOld = existsSync(final);
  if (hadOld) await fsStep('move aside', final, () => rename(final, aside));
  await fsStep('move into place', final, () => rename(prepared, final));
  if (hadOld) await fsStep('remove', aside, () => rm(aside, { recursive: true, force: true }));
}

function espeakNotes(modelsDir: string, voiceDir: string): string[] {
  const shared = sharedEspeakData(modelsDir);
  if (existsSync(path.join(voiceDir, 'espeak-ng-data')) || existsSync(shared)) return [];
  const system = systemEspeakData();
  const how = system
    ? `this machine has it at ${system}: ln -s ${system} ${shared}`
    : `install your distribution's espeak-ng-data package and link its folder there (see docs/models.md)`;
  return [`Piper voices need espeak-ng data at ${shared}; ${how}`];
}
