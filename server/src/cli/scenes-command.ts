import { Command } from 'commander';
import { UsageError } from './user-files.js';

interface ReloadAnswer {
  scenes: { id: string }[];
  problems: { file: string; problems: string[]; keptPrevious?: boolean }[];
}

/** `stagecraft scenes reload`: asks a running server to read its scene files and packs again. */
export function scenesCommand(): Command {
  const cmd = new Command('scenes').description('scene files of a running server');
  cmd
    .command('reload')
    .description('read the scene files and their constraint packs again; a file with errors keeps its previous version')
    .option('--url <url>', 'the server', 'http://localhost:2567')
    .action(async (opts: { url: string }) => {
      const url = new URL('/api/scenes/reload', opts.url);
      let answer: ReloadAnswer;
      try {
        const res = await fetch(url, { method: 'POST' });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        answer = (await res.json()) as ReloadAnswer;
      } catch (e) {
        throw new UsageError(`cannot reach the server at ${opts.url}: ${(e as Error).message}`);
      }
      process.stdout.write(`scenes: ${answer.scenes.map((s) => s.id).join(', ') || 'none'}\n`);
      for (const p of answer.problems) {
        const kept = p.keptPrevious ? ' (its previous version stays in use)' : '';
        process.stdout.write(`${p.file}: not loaded${kept}\n`);
        for (const line of p.problems) process.stdout.write(`  ${line}\n`);
      }
      if (answer.problems.length > 0) process.exitCode = 1;
    });
  return cmd;
}
