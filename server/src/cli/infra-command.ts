import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { dashboardSvg } from '../infra/dashboard-svg.js';
import {
  DEFAULT_INFRA_SETTINGS,
  type InfraSettings,
  InfraSettingsError,
  parseInfraSettings,
} from '../infra/infra-settings.js';
import { infraPlan, renderInfra } from '../infra/render-infra.js';
import type { DashboardBody } from '../infra/widgets.js';

/** The infra settings in `file`, or the built-in example; throws InfraSettingsError naming the file and field. */
export function readInfraSettings(file: string | undefined): InfraSettings {
  if (!file) return DEFAULT_INFRA_SETTINGS;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InfraSettingsError(file, [{ field: '(file)', message: `cannot read: ${(e as Error).message}` }]);
  }
  return parseInfraSettings(text, file);
}

function reportErrors(action: () => void): void {
  try {
    action();
  } catch (e) {
    if (!(e instanceof InfraSettingsError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 2;
  }
}

/** Draws `<name>.svg` beside each dashboard JSON file; returns the files written. */
export function drawDashboards(files: string[]): string[] {
  return files.map((file) => {
    const body = JSON.parse(readFileSync(file, 'utf8')) as DashboardBody;
    const out = file.replace(/\.json$/, '.svg');
    writeFileSync(out, dashboardSvg(path.basename(file, '.json'), body));
    return out;
  });
}

/** `stagecraft infra`: deployment files for ECS and CloudWatch (docs/operations.md). */
export function infraCommand(): Command {
  const infra = new Command('infra').description('ECS and CloudWatch deployment files (docs/operations.md)');
  infra
    .command('plan')
    .description('print the stacks, services, dashboards and alarms the settings deploy; needs no AWS credentials')
    .option('-s, --settings <file>', 'infra settings JSON (default: the built-in example)')
    .action((opts: { settings?: string }) =>
      reportErrors(() => process.stdout.write(infraPlan(readInfraSettings(opts.settings)))),
    );
  infra
    .command('render')
    .description('write the CloudFormation templates, dashboard bodies and dashboard pictures')
    .option('-s, --settings <file>', 'infra settings JSON (default: the built-in example)')
    .option('-o, --out <dir>', 'folder to write into', 'infra')
    .action((opts: { settings?: string; out: string }) =>
      reportErrors(() => {
        const files = renderInfra(readInfraSettings(opts.settings));
        const dashboards: string[] = [];
        for (const [rel, text] of Object.entries(files)) {
          const file = path.join(opts.out, rel);
          mkdirSync(path.dirname(file), { recursive: true });
          writeFileSync(file, text);
          process.stdout.write(`wrote ${file}\n`);
          if (rel.startsWith('dashboards/')) dashboards.push(file);
        }
        for (const svg of drawDashboards(dashboards)) process.stdout.write(`drew ${svg}\n`);
      }),
    );
  infra
    .command('draw')
    .description('draw SVG pictures of dashboard bodies (JSON files), beside them')
    .argument('<files...>', 'dashboard body JSON files')
    .action((files: string[]) => {
      for (const svg of drawDashboards(files)) process.stdout.write(`drew ${svg}\n`);
    });
  return infra;
}
