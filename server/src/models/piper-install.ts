import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PullSpec } from './catalogue.js';
import { stagedName, VOICE_MANIFEST } from './layout.js';
import { fsStep, ModelsError } from './models-error.js';
import { PiperConfigError, parsePiperConfig, tokensTxt } from './piper-config.js';
import { sherpaPiperMetadata, withOnnxMetadata } from './piper-metadata.js';
import { sha256Bytes, sha256File } from './verify.js';

interface InstalledManifest {
  files: { role: string; sha256: string }[];
  installed: Record<string, string>;
}

function isManifest(v: unknown): v is InstalledManifest {
  const m = v as Partial<InstalledManifest> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    Array.isArray(m.files) &&
    m.files.every((f) => typeof f?.role === 'string' && typeof f?.sha256 === 'string') &&
    typeof m.installed === 'object' &&
    m.installed !== null &&
    Object.values(m.installed).every((sha) => typeof sha === 'string')
  );
}

/**
 * Turns a staging folder holding the verified `<name>.onnx` and `<name>.onnx.json` into the
 * folder SherpaEngine loads: `model.onnx` (the voice with sherpa-onnx metadata), `tokens.txt`
 * (from the config's `phoneme_id_map`), the config, and the manifest. Returns the espeak-ng voice.
 */
export async function preparePiperVoice(dir: string, spec: PullSpec): Promise<{ espeakVoice: string }> {
  const onnxPath = path.join(dir, stagedName('piper-voice', spec.name, 'model'));
  const configName = stagedName('piper-voice', spec.name, 'config');
  const configPath = path.join(dir, configName);
  const configText = await fsStep('read', configPath, () => readFile(configPath, 'utf8'));
  let config: ReturnType<typeof parsePiperConfig>;
  try {
    config = parsePiperConfig(configText, configPath);
  } catch (e) {
    if (e instanceof PiperConfigError) throw new ModelsError('bad-model', e.message, false, { cause: e });
    throw e;
  }
  const tokens = tokensTxt(config);
  const tokensPath = path.join(dir, 'tokens.txt');
  await fsStep('write', tokensPath, () => writeFile(tokensPath, tokens));

  const original = await fsStep('read', onnxPath, () => readFile(onnxPath));
  let model: Uint8Array;
  try {
    model = withOnnxMetadata(original, sherpaPiperMetadata(config.info));
  } catch (e) {
    throw new ModelsError('bad-model', `${onnxPath}: ${(e as Error).message}`, false, { cause: e });
  }
  const modelPath = path.join(dir, 'model.onnx');
  await fsStep('write', modelPath, () => writeFile(modelPath, model));
  await fsStep('remove', onnxPath, () => rm(onnxPath));

  const manifest = {
    name: spec.name,
    kind: 'piper-voice',
    licence: spec.licence,
    files: spec.files,
    installed: {
      'model.onnx': sha256Bytes(model),
      'tokens.txt': sha256Bytes(Buffer.from(tokens)),
      [configName]: sha256Bytes(Buffer.from(configText)),
    },
    espeakVoice: config.info.espeakVoice,
  };
  const manifestPath = path.join(dir, VOICE_MANIFEST);
  await fsStep('write', manifestPath, () => writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`));
  return { espeakVoice: config.info.espeakVoice };
}

/**
 * Whether `dir` holds exactly this voice as a previous pull installed it: the manifest names the
 * same pinned files and every installed file still has its recorded hash. Returns the reason
 * when it does not.
 */
export async function checkInstalledVoice(
  dir: string,
  spec: PullSpec,
): Promise<{ ok: true } | { ok: false; why: string }> {
  const manifestPath = path.join(dir, VOICE_MANIFEST);
  let manifest: InstalledManifest;
  try {
    const parsed: unknown = JSON.parse(await readFile(manifestPath, 'utf8'));
    if (!isManifest(parsed)) throw new Error('not a manifest');
    manifest = parsed;
  } catch {
    return {
      ok: false,
      why: `it has no readable ${VOICE_MANIFEST}, so it was not installed by \`stagecraft models pull\``,
    };
  }
  for (const f of spec.files) {
    const pinned = manifest.files.find((m) => m.role === f.role)?.sha256;
    if (pinned !== f.sha256) return { ok: false, why: `it holds another ${f.role} file (sha256 ${pinned ?? 'none'})` };
  }
  for (const [file, sha] of Object.entries(manifest.installed)) {
    const actual = await sha256File(path.join(dir, file)).catch(() => 'missing');
    if (actual !== sha) return { ok: false, why: `${file} has changed since it was installed (${actual})` };
  }
  return { ok: true };
}
