import { ECSClient } from '@aws-sdk/client-ecs';
import { Command, InvalidArgumentError } from 'commander';
import { Autoscaler, runAutoscaler } from '../infra/autoscale/autoscaler.js';
import { decisionTable } from '../infra/autoscale/decision-table.js';
import { type InfraSettings, InfraSettingsError } from '../infra/infra-settings.js';
import { readInfraSettings } from './infra-command.js';

interface AutoscaleOptions {
  settings?: string;
  metrics: string[];
  dryRun?: boolean;
  once?: boolean;
  interval: number;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 1 || n > 3600) throw new InvalidArgumentError('must be 1 to 3600 seconds');
  return n;
}

function url(value: string, previous: string[]): string[] {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
    throw new InvalidArgumentError(`${value} is not an http(s) URL`);
  return [...previous, value];
}

/**
 * `stagecraft autoscale`: sets each tier's ECS desired count from the work waiting and in flight
 * on its tasks (docs/operations.md, "Autoscaling"). Region and credentials are the AWS SDK's own
 * settings (AWS_PROFILE, the task role, AWS_ENDPOINT_URL_ECS…); the cluster and region come from
 * the infra settings.
 */
export function autoscaleCommand(): Command {
  return new Command('autoscale')
    .description('scale each tier’s ECS service on its queue depth and work in flight (docs/operations.md)')
    .option('-s, --settings <file>', 'infra settings JSON with autoscale blocks (default: the built-in example)')
    .option('-m, --metrics <url>', '/metrics URL read for every service (repeatable)', url, [])
    .option('--dry-run', 'print the decisions; change nothing')
    .option('--once', 'one round, then exit (1 when something went wrong)')
    .option('-i, --interval <seconds>', 'seconds between rounds', seconds, 30)
    .action(async (opts: AutoscaleOptions) => {
      let settings: InfraSettings;
      try {
        settings = readInfraSettings(opts.settings);
      } catch (e) {
        if (!(e instanceof InfraSettingsError)) throw e;
        process.stderr.write(`${e.message}\n`);
        process.exitCode = 2;
        return;
      }
      const problems = Autoscaler.settingsProblems(settings, opts.metrics);
      if (problems.length > 0) {
        const file = opts.settings ?? '(built-in settings)';
        process.stderr.write(`${problems.map((p) => `${file}: ${p}`).join('\n')}\n`);
        process.exitCode = 2;
        return;
      }
      // The loop backs off on throttling itself; the SDK's own retries would hide it.
      const ecs = new ECSClient({ region: settings.region, maxAttempts: 1 });
      const autoscaler = new Autoscaler({
        settings,
        ecs,
        metricsUrls: opts.metrics,
        dryRun: opts.dryRun,
        operatorKey: process.env.STAGECRAFT_OPERATOR_KEY,
      });
      const dryRun = opts.dryRun === true;
      try {
        if (opts.once) {
          const report = await autoscaler.round();
          process.stdout.write(decisionTable(report, { dryRun }));
          if (report.problems.length > 0) process.exitCode = 1;
          return;
        }
        const stop = new AbortController();
        const onSignal = () => stop.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        try {
          await runAutoscaler(autoscaler, {
            intervalMs: opts.interval * 1000,
            signal: stop.signal,
            onRound: (report, nextInMs) => {
              const next = `next round in ${Math.round(nextInMs / 1000)} s${report.retryable ? ' (backing off)' : ''}`;
              process.stdout.write(`${decisionTable(report, { dryRun })}${next}\n\n`);
            },
          });
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      } finally {
        ecs.destroy();
      }
    });
}
