import type { ECSClient } from '@aws-sdk/client-ecs';
import type { InfraService, InfraSettings, InfraTier } from '../infra-settings.js';
import { SCALER_AUTOSCALE, SCALER_TAG, scalePolicy, workTiers } from './autoscale-settings.js';
import { decideScale, type ScaleMemory, type Work } from './decide.js';
import { describeServices, EcsCallError, ecsError, runningTaskAddresses, setDesiredCount } from './ecs-services.js';
import { type FetchText, readWork, sumWork } from './read-work.js';

/** One service's line of a round. */
export interface DecisionRow {
  service: string;
  tiers: InfraTier[];
  work?: Work;
  workPerTask: number;
  running?: number;
  desired?: number;
  next?: number;
  action: 'up' | 'down' | 'hold' | 'skipped' | 'error';
  /** Whether UpdateService set `next`. */
  applied: boolean;
  reason: string;
}

export interface RoundReport {
  atMs: number;
  rows: DecisionRow[];
  /** What went wrong, one line each, naming the service, URL or call. */
  problems: string[];
  /** Some failure may pass if tried later (throttling, no answer): the loop backs off. */
  retryable: boolean;
}

export interface AutoscalerOptions {
  settings: InfraSettings;
  ecs: ECSClient;
  /** /metrics URLs read for every service, besides each service's own `metricsUrls`. */
  metricsUrls?: string[];
  /** Decide and report, but call no UpdateService. */
  dryRun?: boolean;
  /** Sent as a bearer token to /metrics (STAGECRAFT_METRICS_AUTH=key). */
  operatorKey?: string;
  fetch?: FetchText;
  now?: () => number;
}

type Reading = Awaited<ReturnType<typeof readWork>>;
type Scaled = InfraService & { autoscale: NonNullable<InfraService['autoscale']> };

/**
 * Drives the desired count of each service with an `autoscale` block, one round at a time: reads
 * the work on its tiers from its tasks' /metrics, decides (decide.ts), and applies the change with
 * ECS UpdateService. It remembers cooldowns between rounds, not across processes.
 */
export class Autoscaler {
  private readonly memory = new Map<string, ScaleMemory>();
  private readonly services: Scaled[];
  private readonly now: () => number;

  constructor(private readonly options: AutoscalerOptions) {
    this.services = options.settings.services.filter((s): s is Scaled => s.autoscale !== undefined);
    this.now = options.now ?? Date.now;
  }

  /** Problems that stop the autoscaler before its first round: each names the settings field. */
  static settingsProblems(settings: InfraSettings, metricsUrls: string[] = []): string[] {
    const problems: string[] = [];
    if (!settings.services.some((s) => s.autoscale))
      problems.push('services: no service has an autoscale block, so there is nothing to drive');
    settings.services.forEach((s, i) => {
      const a = s.autoscale;
      if (a && a.metricsUrls.length === 0 && a.taskMetricsPort === undefined && metricsUrls.length === 0)
        problems.push(
          `services.${i}.autoscale: no taskMetricsPort, no metricsUrls and no --metrics URL: ${s.name} has no work reading`,
        );
    });
    return problems;
  }

  async round(): Promise<RoundReport> {
    const { settings, ecs } = this.options;
    const atMs = this.now();
    const problems: string[] = [];
    let retryable = false;
    const fail = (row: DecisionRow, reason: string, problem: string, again: boolean) => {
      Object.assign(row, { action: 'error', reason });
      problems.push(problem);
      retryable ||= again;
    };
    const rows = this.services.map(
      (s): DecisionRow => ({
        service: s.name,
        tiers: workTiers(s),
        workPerTask: s.autoscale.workPerTask,
        action: 'error',
        applied: false,
        reason: '',
      }),
    );

    let described: Awaited<ReturnType<typeof describeServices>>;
    try {
      described = await describeServices(
        ecs,
        settings.cluster,
        this.services.map((s) => s.name),
      );
    } catch (e) {
      const err = asEcsError('DescribeServices', e);
      for (const row of rows) row.reason = err.code;
      return { atMs, rows, problems: [`cluster ${settings.cluster}: ${err.message}`], retryable: err.retryable };
    }

    // Which services to decide for, and the /metrics URLs of each.
    const todo: { s: Scaled; row: DecisionRow; desired: number; urls: string[] }[] = [];
    for (const [i, s] of this.services.entries()) {
      const row = rows[i] as DecisionRow;
      const missing = described.missing.get(s.name);
      const counts = described.found.get(s.name);
      if (missing !== undefined || !counts) {
        const reason = `not found in cluster ${settings.cluster} (${missing ?? 'not reported'})`;
        fail(row, reason, `${s.name}: ${reason}`, false);
        continue;
      }
      Object.assign(row, { running: counts.running, desired: counts.desired });
      if (counts.status !== 'ACTIVE') {
        Object.assign(row, { action: 'skipped', reason: `service is ${counts.status}` });
        continue;
      }
      if (counts.scaler !== SCALER_AUTOSCALE) {
        Object.assign(row, {
          action: 'skipped',
          reason: `tagged ${SCALER_TAG}=${counts.scaler ?? '(no tag)'}, not ${SCALER_AUTOSCALE}: another scaler may drive it`,
        });
        continue;
      }
      const urls = [...s.autoscale.metricsUrls, ...(this.options.metricsUrls ?? [])];
      const port = s.autoscale.taskMetricsPort;
      if (port !== undefined) {
        try {
          const addresses = await runningTaskAddresses(ecs, settings.cluster, s.name);
          urls.push(...addresses.map((a) => `http://${a.includes(':') ? `[${a}]` : a}:${port}/metrics`));
        } catch (e) {
          const err = asEcsError('ListTasks', e);
          fail(row, `tasks not listed: ${err.code}`, `${s.name}: ${err.message}`, err.retryable);
          continue;
        }
      }
      todo.push({ s, row, desired: counts.desired, urls: [...new Set(urls)] });
    }

    const readings = await this.readAll([...new Set(todo.flatMap((t) => t.urls))]);
    for (const r of readings.values()) {
      if (r instanceof Error) {
        problems.push(r.message);
        retryable = true;
      }
    }

    for (const { s, row, desired, urls } of todo) {
      const mine = urls.map((u) => readings.get(u));
      const ok = mine.filter((r): r is Reading => r !== undefined && !(r instanceof Error));
      // One task unread would undercount the work: no reading at all is safer than a low one.
      const work = ok.length > 0 && ok.length === mine.length ? sumWork(ok, row.tiers) : undefined;
      row.work = work;
      const memory = this.memory.get(s.name) ?? {};
      const d = decideScale(scalePolicy(s.autoscale, s), memory, { nowMs: atMs, desired, work });
      Object.assign(row, {
        next: d.desired,
        action: d.change,
        reason: !work && urls.length === 0 && d.change === 'hold' ? 'no running task to read' : d.reason,
      });
      // A change not made (dry run, refused) must not start a cooldown; the low-load clock still runs.
      const notMade = { ...memory, lowSinceMs: d.memory.lowSinceMs };
      if (d.change === 'hold') this.memory.set(s.name, d.memory);
      else if (this.options.dryRun) this.memory.set(s.name, notMade);
      else {
        try {
          await setDesiredCount(ecs, settings.cluster, s.name, d.desired);
          row.applied = true;
          this.memory.set(s.name, d.memory);
        } catch (e) {
          const err = asEcsError('UpdateService', e);
          fail(row, `${d.change} to ${d.desired} failed: ${err.code}`, `${s.name}: ${err.message}`, err.retryable);
          this.memory.set(s.name, notMade);
        }
      }
    }
    return { atMs, rows, problems, retryable };
  }

  /** Work by tier from each URL, or the error that kept it; all read at once. */
  private async readAll(urls: string[]): Promise<Map<string, Reading | Error>> {
    return new Map(
      await Promise.all(
        urls.map(async (url): Promise<[string, Reading | Error]> => {
          try {
            return [url, await readWork(url, { operatorKey: this.options.operatorKey, fetch: this.options.fetch })];
          } catch (e) {
            return [url, e as Error];
          }
        }),
      ),
    );
  }
}

const asEcsError = (call: string, e: unknown) => (e instanceof EcsCallError ? e : ecsError(call, e));

export interface LoopOptions {
  intervalMs: number;
  /** Longest wait after failed rounds; the wait doubles from intervalMs up to it. */
  maxBackoffMs?: number;
  signal: AbortSignal;
  onRound(report: RoundReport, nextInMs: number): void;
  random?: () => number;
}

/**
 * Runs rounds every `intervalMs` until `signal` aborts. After a round with a retryable failure the
 * wait doubles (with jitter, up to maxBackoffMs); a round without one goes back to the interval.
 */
export async function runAutoscaler(autoscaler: Autoscaler, o: LoopOptions): Promise<void> {
  const random = o.random ?? Math.random;
  const maxBackoffMs = o.maxBackoffMs ?? Math.max(o.intervalMs, 300_000);
  let failures = 0;
  while (!o.signal.aborted) {
    const report = await autoscaler.round();
    failures = report.retryable ? failures + 1 : 0;
    const waitMs =
      failures === 0
        ? o.intervalMs
        : Math.round(Math.min(maxBackoffMs, o.intervalMs * 2 ** failures) * (0.5 + 0.5 * random()));
    o.onRound(report, waitMs);
    await sleep(waitMs, o.signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
