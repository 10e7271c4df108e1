// Work per tier, read from the Prometheus text a Stagecraft server serves at /metrics. Only the
// sample lines of a few gauges are needed (`name{labels} value`), so this reads those lines and
// nothing else of the exposition format (no histograms, exemplars or OpenMetrics extras).
import type { InfraTier } from './autoscale-settings.js';
import type { Work } from './decide.js';

/** Gauges that count one tier's work, by `tier` label (metric names as the server makes them). */
export const WORK_METRICS = {
  waiting: ['stagecraft_dialogue_queue_depth'],
  inFlight: ['stagecraft_dialogue_in_flight', 'stagecraft_tts_in_flight'],
} as const;

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export class MetricsTextError extends Error {
  constructor(source: string, line: number, message: string) {
    super(`${source}:${line}: ${message}`);
    this.name = 'MetricsTextError';
  }
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(,|\})/;

/** prom-client writes NaN as `Nan`; read the special values in any case. */
const SPECIAL: Record<string, number> = { '+inf': Infinity, inf: Infinity, '-inf': -Infinity, nan: Number.NaN };

function unescapeLabel(v: string): string {
  return v.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}

/** The samples of a Prometheus text exposition; a malformed sample line throws naming `source` and the line. */
export function parseMetricsText(text: string, source: string): Sample[] {
  const out: Sample[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fail = (message: string): never => {
      throw new MetricsTextError(source, i + 1, `${message}: ${JSON.stringify(line.slice(0, 80))}`);
    };
    const name = NAME.exec(line)?.[0] ?? fail('not a sample line');
    let rest = line.slice(name.length);
    const labels: Record<string, string> = {};
    if (rest.startsWith('{')) {
      rest = rest.slice(1);
      if (rest.trimStart().startsWith('}')) rest = rest.trimStart().slice(1);
      else {
        for (;;) {
          const m = LABEL.exec(rest) ?? fail('bad label');
          labels[m[1] as string] = unescapeLabel(m[2] as string);
          rest = rest.slice(m[0].length);
          if (m[3] === '}') break;
        }
      }
    }
    const [valueText = ''] = rest.trim().split(/\s+/);
    const value = SPECIAL[valueText.toLowerCase()] ?? Number(valueText);
    if (valueText === '' || (Number.isNaN(value) && valueText.toLowerCase() !== 'nan')) fail('bad value');
    out.push({ name, labels, value });
  });
  return out;
}

/** Work by tier in one server's samples; tiers with no sample are left out. */
export function workByTier(samples: Sample[]): Partial<Record<InfraTier, Work>> {
  const out: Partial<Record<InfraTier, Work>> = {};
  const add = (tier: string, key: keyof Work, value: number) => {
    if (!Number.isFinite(value)) return;
    const w = out[tier as InfraTier] ?? { waiting: 0, inFlight: 0 };
    w[key] += value;
    out[tier as InfraTier] = w;
  };
  for (const s of samples) {
    const tier = s.labels.tier;
    if (!tier) continue;
    if ((WORK_METRICS.waiting as readonly string[]).includes(s.name)) add(tier, 'waiting', s.value);
    else if ((WORK_METRICS.inFlight as readonly string[]).includes(s.name)) add(tier, 'inFlight', s.value);
  }
  return out;
}

/** Work of `tiers` summed over several servers' readings. */
export function sumWork(readings: Partial<Record<InfraTier, Work>>[], tiers: readonly InfraTier[]): Work {
  const total = { waiting: 0, inFlight: 0 };
  for (const r of readings)
    for (const t of tiers) {
      total.waiting += r[t]?.waiting ?? 0;
      total.inFlight += r[t]?.inFlight ?? 0;
    }
  return total;
}

export type FetchText = (
  url: string,
  init: { signal: AbortSignal; headers: Record<string, string> },
) => Promise<{ status: number; text: string }>;

const fetchText: FetchText = async (url, init) => {
  const res = await fetch(url, init);
  return { status: res.status, text: await res.text() };
};

/**
 * Reads work by tier from one server's /metrics. Rejects with an error naming the URL when it
 * does not answer within `timeoutMs`, answers other than 200, or serves text that does not parse.
 * `operatorKey` is sent as a bearer token, for a server whose /metrics needs it
 * (STAGECRAFT_METRICS_AUTH=key).
 */
export async function readWork(
  url: string,
  options: { timeoutMs?: number; operatorKey?: string; fetch?: FetchText } = {},
): Promise<Partial<Record<InfraTier, Work>>> {
  const signal = AbortSignal.timeout(options.timeoutMs ?? 5000);
  const headers: Record<string, string> = { accept: 'text/plain' };
  if (options.operatorKey) headers.authorization = `Bearer ${options.operatorKey}`;
  let answer: { status: number; text: string };
  try {
    answer = await (options.fetch ?? fetchText)(url, { signal, headers });
  } catch (e) {
    const why = signal.aborted ? `no answer within ${options.timeoutMs ?? 5000} ms` : (e as Error).message;
    throw new Error(`${url}: ${why}`, { cause: e });
  }
  if (answer.status !== 200) throw new Error(`${url}: answered ${answer.status}`);
  return workByTier(parseMetricsText(answer.text, url));
}
