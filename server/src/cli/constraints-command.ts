import { writeFileSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { SourceError } from '../common/source-error.js';
import { type CompileOptions, compilePack } from '../direction/compile-pack.js';
import type { CompiledPack, SimBehaviourName } from '../direction/compiled-pack.js';
import { formatPackProblem } from '../direction/pack-problems.js';
import { simulatePack } from '../direction/sim/simulate.js';
import { parseSceneDefinition, scenePackOptions } from '../scenes/scene-definition.js';
import { formatLintReport, lintReport } from './lint-report.js';
import { simulationHtml } from './simulate-html.js';
import { formatSummary } from './simulate-report.js';
import { callerPath, readUserFile } from './user-files.js';

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a whole number ≥ 0');
  return n;
}

function sceneOptions(file: string | undefined): CompileOptions {
  if (!file) return {};
  return scenePackOptions(parseSceneDefinition(readUserFile(file), file));
}

/** Reads and compiles a pack; a file that cannot be read is a UsageError naming it. */
function compileFile(file: string, options: CompileOptions) {
  return compilePack(readUserFile(file), file, options);
}

/** `stagecraft constraints lint|simulate`: the narrative designer's tools for constraint packs. */
export function constraintsCommand(): Command {
  const cmd = new Command('constraints').description('check and try out constraint packs (docs/constraints.md)');

  cmd
    .command('lint')
    .description('check packs: schema, names, durations, contradictions, and whether the outcome is guaranteed')
    .argument('<file...>', 'constraint pack YAML files')
    .option('--scene <file>', "scene file whose cast the packs' NPC ids are checked against")
    .option('--strict', 'fail on warnings too')
    .addOption(
      new Option('--format <format>', 'text: one line per problem; json: for tools')
        .choices(['text', 'json'])
        .default('text'),
    )
    .action((files: string[], opts: { scene?: string; strict?: boolean; format: 'text' | 'json' }) => {
      let scene: CompileOptions;
      try {
        scene = sceneOptions(opts.scene);
      } catch (e) {
        if (!(e instanceof SourceError)) throw e;
        process.stdout.write(`${e.message}\n`);
        process.exitCode = 1;
        return;
      }
      const report = lintReport(files.map((file) => ({ file, problems: compileFile(file, scene).problems })));
      if (opts.format === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else {
        const { lines, summary } = formatLintReport(report);
        process.stdout.write(lines + summary);
      }
      if (report.errors > 0 || (opts.strict && report.warnings > 0)) process.exitCode = 1;
    });

  cmd
    .command('simulate')
    .description(
      'play randomised battles with scripted autonomous NPCs and report what the constraints did and what the pack meant',
    )
    .argument('<file>', 'constraint pack YAML file')
    .option('--seed <n>', 'seed of the run; each battle gets its own seed from it', count, 1)
    .option('--battles <n>', 'number of battles', count, 1000)
    .option('--replay <battle-seed>', 'play the one battle with this seed (as listed next to a violation)', count)
    .option('--scene <file>', "scene file whose cast the pack's NPC ids are checked against")
    .option('--player-health <hp>', "the simulated player's hit points (simulate.player.health)", positive)
    .addOption(
      new Option('--behaviour <profile>', 'how every simulated NPC plays (simulate.behaviour)').choices([
        'obedient',
        'autonomous',
        'reckless',
      ]),
    )
    .option('--json', 'print the summary as JSON instead of tables')
    .option('--html <file>', 'also write a self-contained HTML report with charts')
    .option('--strict', 'fail on intent warnings too')
    .action((file: string, opts: SimulateFlags) => {
      const result = compileFile(file, sceneOptions(opts.scene));
      for (const p of result.problems) process.stderr.write(`${formatPackProblem(p)}\n`);
      if (!result.pack) {
        process.exitCode = 1;
        return;
      }
      const pack = withFlags(result.pack, opts);
      const total = opts.replay === undefined ? opts.battles : 1;
      const bar = new SingleBar({
        stream: process.stderr,
        format: 'simulating [{bar}] {value}/{total} battles | {eta_formatted} left',
        hideCursor: true,
        noTTYOutput: true,
        notTTYSchedule: 2000,
      });
      bar.start(total, 0);
      const summary = simulatePack(pack, {
        seed: opts.seed,
        battles: opts.battles,
        ...(opts.replay === undefined ? {} : { replay: opts.replay }),
        onProgress: (n) => bar.update(n),
      });
      bar.stop();
      process.stdout.write(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
      if (opts.html) {
        writeFileSync(callerPath(opts.html), simulationHtml(summary));
        process.stderr.write(`report written to ${opts.html}\n`);
      }
      const failed = summary.violations > 0 || summary.requiredMet < summary.battles;
      if (failed || (opts.strict && summary.warnings.length > 0)) process.exitCode = 1;
    });

  return cmd;
}

interface SimulateFlags {
  seed: number;
  battles: number;
  replay?: number;
  scene?: string;
  playerHealth?: number;
  behaviour?: SimBehaviourName;
  json?: boolean;
  html?: string;
  strict?: boolean;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('a number > 0');
  return n;
}

/** Flags over the pack's `simulate` section. */
function withFlags(pack: CompiledPack, opts: SimulateFlags): CompiledPack {
  const world = { ...pack.simulate };
  if (opts.playerHealth !== undefined) world.playerHealth = opts.playerHealth;
  if (opts.behaviour) {
    world.behaviour = opts.behaviour;
    world.npcs = {};
  }
  return { ...pack, simulate: world };
}
