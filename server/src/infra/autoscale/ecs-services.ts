import {
  DescribeServicesCommand,
  type DescribeServicesCommandOutput,
  DescribeTasksCommand,
  type DescribeTasksCommandOutput,
  type ECSClient,
  ListTasksCommand,
  type ListTasksCommandOutput,
  type Task,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { SCALER_TAG } from './autoscale-settings.js';

/** One ECS service's counts as DescribeServices reports them. */
export interface ServiceCounts {
  name: string;
  desired: number;
  running: number;
  pending: number;
  /** `ACTIVE`, `DRAINING` or `INACTIVE`. */
  status: string;
  /** Its `stagecraft:scaler` tag, if any. */
  scaler: string | undefined;
}

/** An ECS call that failed: the service's error code, and whether trying again later may work. */
export class EcsCallError extends Error {
  constructor(
    readonly call: string,
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(`ECS ${call}: ${code}: ${message}`, options);
    this.name = 'EcsCallError';
  }
}

const RETRYABLE = new Set(['ThrottlingException', 'Throttling', 'RequestLimitExceeded', 'ServerException']);

/** The SDK's error as an EcsCallError; network failures and 5xx and throttling are retryable. */
export function ecsError(call: string, e: unknown): EcsCallError {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const code = err.name ?? 'Error';
  const status = err.$metadata?.httpStatusCode;
  const retryable = RETRYABLE.has(code) || status === undefined || status >= 500 || status === 429;
  return new EcsCallError(call, code, err.message ?? String(e), retryable, { cause: e });
}

/** DescribeServices takes at most 10 services a call. */
const DESCRIBE_BATCH = 10;

/**
 * Counts of `names` in `cluster`, and the services ECS reports missing (with its reason, e.g.
 * `MISSING`). Throws EcsCallError when a call fails.
 */
export async function describeServices(
  client: ECSClient,
  cluster: string,
  names: string[],
): Promise<{ found: Map<string, ServiceCounts>; missing: Map<string, string> }> {
  const found = new Map<string, ServiceCounts>();
  const missing = new Map<string, string>();
  for (let i = 0; i < names.length; i += DESCRIBE_BATCH) {
    const batch = names.slice(i, i + DESCRIBE_BATCH);
    let out: DescribeServicesCommandOutput;
    try {
      out = await client.send(new DescribeServicesCommand({ cluster, services: batch, include: ['TAGS'] }));
    } catch (e) {
      throw ecsError('DescribeServices', e);
    }
    for (const s of out.services ?? []) {
      if (!s.serviceName) continue;
      found.set(s.serviceName, {
        name: s.serviceName,
        desired: s.desiredCount ?? 0,
        running: s.runningCount ?? 0,
        pending: s.pendingCount ?? 0,
        status: s.status ?? 'ACTIVE',
        scaler: s.tags?.find((t) => t.key === SCALER_TAG)?.value,
      });
    }
    for (const f of out.failures ?? []) {
      // A failure names the service by ARN (…:service/<cluster>/<name>) or by the name asked for.
      const name = batch.find((n) => f.arn === n || f.arn?.endsWith(`/${n}`)) ?? f.arn ?? '?';
      missing.set(name, [f.reason, f.detail].filter(Boolean).join(': ') || 'failed');
    }
  }
  for (const n of names) if (!found.has(n) && !missing.has(n)) missing.set(n, 'not reported');
  return { found, missing };
}

/** Sets a service's desired count. Throws EcsCallError when ECS refuses or does not answer. */
export async function setDesiredCount(
  client: ECSClient,
  cluster: string,
  service: string,
  desiredCount: number,
): Promise<void> {
  try {
    await client.send(new UpdateServiceCommand({ cluster, service, desiredCount }));
  } catch (e) {
    throw ecsError('UpdateService', e);
  }
}

/** DescribeTasks takes at most 100 tasks a call. */
const DESCRIBE_TASKS_BATCH = 100;

/** A task's private IPv4 address: its awsvpc network interface's, as ECS reports it. */
function taskAddress(t: Task): string | undefined {
  const eni = t.attachments?.find((a) => a.type === 'ElasticNetworkInterface');
  return (
    eni?.details?.find((d) => d.name === 'privateIPv4Address')?.value ??
    t.containers?.flatMap((c) => c.networkInterfaces ?? []).find((n) => n.privateIpv4Address)?.privateIpv4Address
  );
}

/**
 * Private addresses of a service's running tasks (ListTasks, then DescribeTasks), for reading each
 * task's /metrics. Throws EcsCallError when a call fails.
 */
export async function runningTaskAddresses(client: ECSClient, cluster: string, service: string): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    let page: ListTasksCommandOutput;
    try {
      page = await client.send(
        new ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'RUNNING', nextToken }),
      );
    } catch (e) {
      throw ecsError('ListTasks', e);
    }
    arns.push(...(page.taskArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const out: string[] = [];
  for (let i = 0; i < arns.length; i += DESCRIBE_TASKS_BATCH) {
    let described: DescribeTasksCommandOutput;
    try {
      described = await client.send(
        new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + DESCRIBE_TASKS_BATCH) }),
      );
    } catch (e) {
      throw ecsError('DescribeTasks', e);
    }
    for (const t of described.tasks ?? []) {
      const address = t.lastStatus === 'RUNNING' ? taskAddress(t) : undefined;
      if (address) out.push(address);
    }
  }
  return out.sort();
}
