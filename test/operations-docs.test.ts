// docs/operations.md and docs/configuration.md against the code: every metric the server
// registers is in the metrics table with its kind, unit and labels, and nothing else is; every
// setting is documented; the dashboard pictures it shows exist.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { CONFIG_VARIABLES } from '../server/src/config/config.js';
import { gpuMetrics } from '../server/src/telemetry/gpu-metrics.js';
import { type PublishedMetric, WindowMetrics } from '../server/src/telemetry/window-metrics.js';
import { startTestServer } from './support/server.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const read = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');
const operations = read('docs/operations.md');

/** Rows of the "Every metric" table: metric, kind, unit, labels cell. */
function docRows(): Map<string, { kind: string; unit: string; labels: string }> {
  const section = operations.slice(operations.indexOf('\n## Every metric\n'), operations.indexOf('\n## Dashboards\n'));
  const rows = new Map<string, { kind: string; unit: string; labels: string }>();
  for (const line of section.split('\n')) {
    const m = /^\| `(stagecraft_[a-z0-9_]+)` \| (\w+) \| ([\w/]+) \| ([^|]*) \|/.exec(line);
    if (m) rows.set(m[1] as string, { kind: m[2] as string, unit: m[3] as string, labels: m[4] as string });
  }
  return rows;
}

/** Names the server's source registers (`name: 'stagecraft_…'` and the GPU gauges' table). */
function namesInSource(): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) {
        if (!['test-support', 'infra', 'bench', 'web'].includes(entry)) walk(full);
      } else if (entry.endsWith('.ts') && !entry.endsWith('.test.ts')) {
        for (const m of readFileSync(full, 'utf8').matchAll(/'(stagecraft_[a-z0-9_]+)'/g)) out.add(m[1] as string);
      }
    }
  };
  walk(path.join(ROOT, 'server/src'));
  return out;
}

let published: Map<string, PublishedMetric>;

beforeAll(async () => {
  const server = await startTestServer({
    env: { STAGECRAFT_METRICS_SINK: 'emf', STAGECRAFT_METRICS_EMF_FILE: '/dev/null' },
  });
  const fromServer = server.server.metrics.window?.published() ?? [];
  await server.close();
  // GPU gauges are made only where nvidia-smi answers; here it is given one GPU's reading.
  const gpu = new WindowMetrics();
  (await gpuMetrics(gpu, { run: async () => '0, 12, 1024, 81559, 41, 72.5\n' }))?.stop();
  published = new Map([...fromServer, ...gpu.published()].map((m) => [m.name, m]));
}, 60_000);

describe('docs/operations.md', () => {
  it('lists every metric the server publishes, with its kind, unit and every label', () => {
    const rows = docRows();
    expect(published.size).toBeGreaterThan(25);
    const problems: string[] = [];
    for (const m of published.values()) {
      const row = rows.get(m.name);
      if (!row) {
        problems.push(`${m.name} is not in the metrics table`);
        continue;
      }
      if (row.kind !== m.kind) problems.push(`${m.name}: documented as a ${row.kind}, is a ${m.kind}`);
      if (row.unit !== m.unit) problems.push(`${m.name}: documented unit ${row.unit}, publishes ${m.unit}`);
      for (const label of m.labels)
        if (!row.labels.includes(`\`${label}\``)) problems.push(`${m.name}: label ${label} not documented`);
      if (m.labels.length === 0 && row.labels.trim() !== '—') problems.push(`${m.name}: has no labels`);
    }
    expect(problems).toEqual([]);
  });

  it('documents no metric the code does not register, and misses none registered only on some paths', () => {
    const rows = docRows();
    const source = namesInSource();
    // A name in the source is a metric when the server publishes it or the table documents it;
    // any other `stagecraft_…` string (a prefix, say) must be neither.
    expect([...rows.keys()].filter((n) => !published.has(n) && !source.has(n))).toEqual([]);
    expect([...source].filter((n) => !published.has(n) && !rows.has(n) && !n.endsWith('_'))).toEqual([]);
  });

  it('shows each dashboard’s picture, and each picture exists', () => {
    const pictures = [...operations.matchAll(/!\[[^\]]*\]\(\.\.\/(infra\/dashboards\/[a-z-]+\.svg)\)/g)].map(
      (m) => m[1],
    );
    expect(pictures.sort()).toEqual(
      ['autoscaling', 'cost', 'gpu-tiers', 'service-health'].map((n) => `infra/dashboards/${n}.svg`),
    );
    for (const p of pictures) expect(existsSync(path.join(ROOT, p as string))).toBe(true);
  });

  it('carries a measured bench:metrics table', () => {
    const block = operations.slice(
      operations.indexOf('<!-- bench-metrics:start -->'),
      operations.indexOf('<!-- bench-metrics:end -->'),
    );
    expect(block).toMatch(/\| histogram observation, Prometheus only, no label \| .* ns each \|/);
    expect(block).toMatch(/2-core .*Node v\d+/);
  });
});

describe('docs/configuration.md', () => {
  it('documents every setting the server reads', () => {
    const doc = read('docs/configuration.md');
    expect(CONFIG_VARIABLES.filter((v) => !doc.includes(`\`${v}\``))).toEqual([]);
  });
});
