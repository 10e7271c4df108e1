import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { SourceError } from '../common/source-error.js';
import {
  type CatalogueEntry,
  findEntry,
  loadCatalogue,
  MODEL_KINDS,
  MODEL_NAME,
  type ModelKind,
  type PullSpec,
  SHA256_HEX,
} from '../models/catalogue.js';
import { installPath, VOICE_MANIFEST } from '../models/layout.js';
import { ModelsError } from '../models/models-error.js';
import { formatBytes, streamReporter } from '../models/progress.js';
import { pull } from '../models/pull.js';

interface CommonOptions {
  modelsDir?: string;
  catalogue?: string;
}

interface PullOptions extends CommonOptions {
  url?: string;
  sha256?: string;
  name?: string;
  kind?: ModelKind;
  configUrl?: string;
  configSha256?: string;
  size?: number;
  mirror?: string;
  force?: boolean;
}

const sha256 = (value: string): string => {
  const hex = value.trim().toLowerCase();
  if (!SHA256_HEX.test(hex)) throw new InvalidArgumentError('a sha256 is 64 hex digits');
  return hex;
};

const bytes = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('a whole number of bytes > 0');
  return n;
};

/**
 * `--models-dir`, else `STAGECRAFT_MODELS_DIR` resolved against the working directory, as
 * loadConfig resolves it for the server. Only this one variable is read, so a bad setting meant
 * for the server does not stop a download.
 */
function modelsDirOf(opts: CommonOptions): string | undefined {
  const dir = opts.modelsDir || process.env.STAGECRAFT_MODELS_DIR;
  return dir ? path.resolve(dir) : undefined;
}

/** Runs an action, printing ModelsError and SourceError as plain `error:` lines and exiting 1. */
function guarded<A extends unknown[]>(action: (...args: A) => Promise<void> | void) {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (e) {
      if (!(e instanceof ModelsError || e instanceof SourceError)) throw e;
      process.stderr.write(`error: ${e.message}\n`);
      process.exitCode = 1;
    }
  };
}

/** The model a `pull` names: a catalogue entry, or one described by --url and --sha256. */
function specOf(name: string | undefined, opts: PullOptions): { spec: PullSpec; fromCatalogue: boolean } {
  if (opts.url === undefined) {
    if (!name) throw new ModelsError('bad-request', 'name a model from `stagecraft models list`, or give --url');
    return { spec: findEntry(loadCatalogue(opts.catalogue), name), fromCatalogue: true };
  }
  if (name) throw new ModelsError('bad-request', `give a catalogue name ("${name}") or --url, not both`);
  const missing = [
    ['--sha256', opts.sha256],
    ['--name', opts.name],
    ['--kind', opts.kind],
  ].filter(([, v]) => v === undefined);
  if (opts.kind === 'piper-voice' && opts.configSha256 === undefined) missing.push(['--config-sha256', undefined]);
  if (missing.length > 0)
    throw new ModelsError(
      'bad-request',
      `--url needs ${missing.map(([flag]) => flag).join(', ')}: nothing is installed without a sha256 to check it against`,
    );
  const {
    sha256: modelSha,
    name: modelName,
    kind,
    url,
  } = opts as Required<Pick<PullOptions, 'sha256' | 'name' | 'kind' | 'url'>>;
  if (!MODEL_NAME.test(modelName))
    throw new ModelsError('bad-request', `--name "${modelName}": use letters, digits, "_", "-" and "."`);
  for (const [flag, u] of [
    ['--url', url],
    ['--config-url', opts.configUrl],
  ] as const) {
    if (u !== undefined && !/^https?:\/\/[^/]/.test(u))
      throw new ModelsError('bad-request', `${flag} "${u}" is not an http(s) URL`);
  }
  const source = 'given on the command line';
  const files: PullSpec['files'] = [
    { role: 'model', url, sha256: modelSha, source, ...(opts.size !== undefined ? { size: opts.size } : {}) },
  ];
  if (kind === 'piper-voice')
    files.push({ role: 'config', url: opts.configUrl ?? `${url}.json`, sha256: opts.configSha256 as string, source });
  return { spec: { name: modelName, kind, licence: 'unknown (pulled with --url)', files }, fromCatalogue: false };
}

/** `stagecraft models list|pull`: install voices and LLMs into the models directory (docs/models.md). */
export function modelsCommand(): Command {
  const cmd = new Command('models').description('install voices and LLMs into STAGECRAFT_MODELS_DIR (docs/models.md)');
  const dirOption = () => new Option('--models-dir <dir>', 'models directory (default: $STAGECRAFT_MODELS_DIR)');
  const catalogueOption = () =>
    new Option('--catalogue <file>', 'use this catalogue (JSON or YAML) instead of the built-in one');

  cmd
    .command('list')
    .description('show the catalogue and what is installed')
    .addOption(dirOption())
    .addOption(catalogueOption())
    .option('--json', 'print the catalogue as JSON')
    .action(
      guarded((opts: CommonOptions & { json?: boolean }) => {
        const entries = loadCatalogue(opts.catalogue);
        const dir = modelsDirOf(opts);
        const installed = (e: CatalogueEntry) => {
          if (!dir) return undefined;
          const p = installPath(dir, e.kind, e.name);
          return existsSync(e.kind === 'piper-voice' ? path.join(p, VOICE_MANIFEST) : p) ? p : undefined;
        };
        if (opts.json) {
          const out = entries.map((e) => ({ ...e, installed: installed(e) ?? null }));
          process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
          return;
        }
        const width = Math.max(...entries.map((e) => e.name.length), 4);
        for (const e of entries) {
          const size = e.files.reduce((n, f) => n + (f.size ?? 0), 0);
          const where = installed(e);
          const state = where ? `installed at ${where}` : dir ? 'not installed' : '';
          process.stdout.write(
            `${e.name.padEnd(width)}  ${e.kind.padEnd(11)}  ${formatBytes(size).padStart(8)}  ${state}`.trimEnd(),
          );
          process.stdout.write(`\n  ${e.description}\n  licence: ${e.licence}\n`);
        }
        if (!dir) process.stdout.write('\n(set STAGECRAFT_MODELS_DIR or --models-dir to see what is installed)\n');
      }),
    );

  cmd
    .command('pull')
    .description('download a model from the catalogue (or --url), verify its sha256 and install it')
    .argument('[name]', 'catalogue name, e.g. en_US-lessac-medium')
    .addOption(dirOption())
    .addOption(catalogueOption())
    .option('--mirror <baseUrl>', 'fetch catalogue files from this mirror (default: $STAGECRAFT_MODELS_MIRROR)')
    .option('--force', 'download again and replace what is installed')
    .option('--url <url>', 'pull a file that is not in the catalogue (needs --sha256, --name and --kind)')
    .option('--sha256 <hex>', 'sha256 the --url file must have', sha256)
    .option('--name <name>', 'name to install the --url model under')
    .addOption(new Option('--kind <kind>', 'what the --url file is').choices(MODEL_KINDS))
    .option('--size <bytes>', 'expected size of the --url file', bytes)
    .option('--config-url <url>', 'Piper .onnx.json for a --url voice (default: <url>.json)')
    .option('--config-sha256 <hex>', 'sha256 of the --url voice config', sha256)
    .action(
      guarded(async (name: string | undefined, opts: PullOptions) => {
        const { spec, fromCatalogue } = specOf(name, opts);
        const modelsDir = modelsDirOf(opts);
        if (!modelsDir)
          throw new ModelsError(
            'bad-request',
            'no models directory: set STAGECRAFT_MODELS_DIR or pass --models-dir <dir>',
          );
        const mirror = fromCatalogue ? opts.mirror || process.env.STAGECRAFT_MODELS_MIRROR || undefined : undefined;
        const result = await pull(spec, {
          modelsDir,
          reporter: streamReporter(process.stderr),
          ...(mirror ? { mirror } : {}),
          ...(opts.force ? { force: true } : {}),
        });
        const use = result.voiceId ? ` (cast voice: ${result.voiceId})` : '';
        process.stdout.write(
          result.status === 'already-installed'
            ? `${spec.name} is already installed at ${result.path}, sha256 verified${use}\n`
            : `installed ${spec.name} at ${result.path}${use}\nlicence: ${spec.licence}\n`,
        );
        for (const note of result.notes) process.stderr.write(`note: ${note}\n`);
      }),
    );

  return cmd;
}
