import { readFileSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { SourceError } from '../common/source-error.js';
import { compilePack } from '../direction/compile-pack.js';
import type { KnownCastMember } from '../direction/compile-refs.js';
import { formatDuration } from '../direction/durations.js';
import { formatPackProblem } from '../direction/pack-problems.js';
import { type SimulationSummary, simulatePack } from '../direction/sim/simulate.js';
import { parseSceneDefinition } from '../scenes/scene-definition.js';

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a whole number ≥ 0');
  return n;
}

function sceneCast(file: string | undefined): KnownCastMember[] {
  if (!file) return [];
  return parseSceneDefinition(readFileSync(file, 'utf8'), file).cast.map((m) => ({
    id: m.id,
    ...(m.role ? { role: m.role } : {}),
    ...(m.faction ? { faction: m.faction } : {}),
    ...(m.stance ? { stance: m.stance } : {}),
  }));
}

/** Reads and compiles a pack, printing its problems; returns undefined when it has errors. */
function compileFile(file: string, knownCast: KnownCastMember[], out: NodeJS.WritableStream) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    out.write(`${file}:1:1: cannot read: ${(e as Error).message}\n`);
    return { problems: [{ severity: 'error' as const }] };
  }
  const result = compilePack(text, file, { knownCast });
  for (const p of result.problems) out.write(`${formatPackProblem(p)}\n`);
  return result;
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
    .action((files: string[], opts: { scene?: string; strict?: boolean }) => {
      let errors = 0;
      let warnings = 0;
      let cast: KnownCastMember[];
      try {
        cast = sceneCast(opts.scene);
      } catch (e) {
        if (!(e instanceof SourceError)) throw e;
        process.stdout.write(`${e.message}\n`);
        process.exitCode = 1;
        return;
      }
      for (const file of files) {
        const result = compileFile(file, cast, process.stdout);
        errors += result.problems.filter((p) => p.severity === 'error').length;
        warnings += result.problems.filter((p) => p.severity === 'warning').length;
      }
      process.stderr.write(`${files.length} pack(s): ${errors} error(s), ${warnings} warning(s)\n`);
      if (errors > 0 || (opts.strict && warnings > 0)) process.exitCode = 1;
    });

  cmd
    .command('simulate')
    .description('run randomised battles with scripted autonomous NPCs and report what the constraints did')
    .argument('<file>', 'constraint pack YAML file')
    .option('--seed <n>', 'seed of the first battle; battle i uses seed + i', count, 1)
    .option('--battles <n>', 'number of battles', count, 1000)
    .option('--scene <file>', "scene file whose cast the pack's NPC ids are checked against")
    .option('--json', 'print the summary as JSON instead of a table')
    .action((file: string, opts: { seed: number; battles: number; scene?: string; json?: boolean }) => {
      const result = compileFile(file, sceneCast(opts.scene), process.stderr);
      if (!('pack' in result) || !result.pack) {
        process.exitCode = 1;
        return;
      }
      const bar = new SingleBar({
        stream: process.stderr,
        format: 'simulating [{bar}] {value}/{total} battles | {eta_formatted} left',
        hideCursor: true,
        noTTYOutput: true,
        notTTYSchedule: 2000,
      });
      bar.start(opts.battles, 0);
      const summary = simulatePack(result.pack, {
        seed: opts.seed,
        battles: opts.battles,
        onProgress: (n) => bar.update(n),
      });
      bar.stop();
      process.stdout.write(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
      if (summary.violations > 0 || summary.requiredMet < summary.battles) process.exitCode = 1;
    });

  return cmd;
}

const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1)}%`;

/** The summary as markdown tables. */
export function formatSummary(s: SimulationSummary): string {
  const lines = [`## ${s.pack}: ${s.battles} battles from seed ${s.seed}`, ''];
  lines.push(
    `required outcome: ${s.required ?? 'none'}; met in ${s.requiredMet}/${s.battles} (${pct(s.requiredMet, s.battles)})`,
    '',
  );
  lines.push('| outcome | battles | share |', '| --- | ---: | ---: |');
  for (const [k, v] of Object.entries(s.outcomes).sort((a, b) => b[1] - a[1]))
    lines.push(`| ${k} | ${v} | ${pct(v, s.battles)} |`);
  lines.push('', '| ended by | battles |', '| --- | ---: |');
  for (const [k, v] of Object.entries(s.endings).sort((a, b) => b[1] - a[1])) lines.push(`| ${k} | ${v} |`);
  const d = s.durationMs;
  lines.push('', '| duration | min | p50 | p90 | max | mean |', '| --- | ---: | ---: | ---: | ---: | ---: |');
  lines.push(`| battle | ${[d.min, d.p50, d.p90, d.max, d.mean].map(formatDuration).join(' | ')} |`);
  lines.push(
    '',
    `proposals: ${s.proposals}, allowed: ${s.allowed} (${pct(s.allowed, s.proposals)}), directives: ${s.directives}`,
    '',
  );
  lines.push('| rule | rewrites | vetoes |', '| --- | ---: | ---: |');
  const rules = [...new Set([...Object.keys(s.rewrites), ...Object.keys(s.vetoes)])].sort();
  for (const r of rules) lines.push(`| ${r} | ${s.rewrites[r] ?? 0} | ${s.vetoes[r] ?? 0} |`);
  lines.push('', `violations: ${s.violations}`);
  for (const v of s.firstViolations)
    lines.push(`- seed ${v.seed} at ${formatDuration(v.atMs)}: ${v.ruleId}: ${v.message}`);
  return `${lines.join('\n')}\n`;
}
