import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import YAML from 'yaml';

// The load-test package's pure parts (loadtesting/, CommonJS): summaries of an artillery report,
// the Markdown and HTML reports, trend checks, the play step's settings, scene files, metrics
// parsing. None needs artillery; the last test loads the engine as artillery does, and skips
// when loadtesting/ has not been installed.
const root = fileURLToPath(new URL('../', import.meta.url));
const load = createRequire(path.join(root, 'loadtesting', 'run.js'));

type Row = { name: string; label: string; count: number; p50: number; p95: number; p99: number; max: number };
type Summary = {
  npcsPeak: number;
  latencies: Row[];
  trouble: { name: string; count: number }[];
  series: { t: number; npcs: number; users: number; p95: Record<string, number> }[];
  checks: { ok: boolean; text: string }[];
  users: { created: number; failed: number };
};
const summary = load('./lib/summary.js') as {
  summarize(report: unknown, run?: Record<string, unknown>): Summary;
  markdown(s: Summary): string;
  parseChecks(output: string): { ok: boolean; text: string }[];
};
const { reportPage } = load('./lib/html.js') as { reportPage(s: Summary, samples: unknown[]): string };
const trend = load('./lib/trend.js') as {
  growth(v: number[]): { first: number; last: number; growth: number } | undefined;
  trendChecks(s: Summary, samples: unknown[], limits: unknown): { ok: boolean; text: string }[];
};
const { metricValue } = load('./lib/sampler.js') as {
  metricValue(text: string, name: string, labels?: string): number;
};
const play = load('./engine/play.js') as {
  settings(spec: unknown): Record<string, unknown>;
  messageRate(s: Record<string, unknown>, npcs: number): number;
};
const { HISTOGRAM, COUNTER } = load('./engine/metrics.js') as {
  HISTOGRAM: Record<'verdict' | 'sayFirstAudio', string>;
  COUNTER: Record<'sent' | 'received' | 'errors' | 'npcsJoined' | 'npcsLeft' | 'mediaDropped', string>;
};
const scenes = load('./lib/scenes.js') as {
  writeScenes(dir: string, shape: { count: number; cast: number }): string[];
};

const hist = (p95: number, count = 100) => ({
  min: 1,
  max: p95 * 2,
  count,
  mean: p95 / 2,
  median: p95 / 3,
  p95,
  p99: p95 * 1.5,
});
const period = (at: number, counters: Record<string, number>, summaries: Record<string, unknown> = {}) => ({
  period: at,
  counters,
  summaries,
});
const REPORT = {
  aggregate: {
    firstMetricAt: 1_000,
    lastMetricAt: 31_000,
    counters: {
      'vusers.created': 3,
      'vusers.completed': 2,
      'vusers.failed': 1,
      [COUNTER.sent]: 900,
      [COUNTER.received]: 2000,
      [COUNTER.errors]: 2,
      'stagecraft.errors.RATE_LIMITED': 2,
      'stagecraft.timeouts.proposal': 0,
      'errors.stagecraft.join_failed_521': 1,
      'stagecraft.media_dropped': 3,
    },
    summaries: { [HISTOGRAM.verdict]: hist(12), [HISTOGRAM.sayFirstAudio]: hist(80, 10) },
  },
  intermediate: [
    period(20_000, { 'vusers.completed': 2, [COUNTER.npcsLeft]: 20 }, { [HISTOGRAM.verdict]: hist(20) }),
    period(0, { 'vusers.created': 3, [COUNTER.npcsJoined]: 30 }, { [HISTOGRAM.verdict]: hist(10) }),
    period(10_000, { 'vusers.failed': 1 }, { [HISTOGRAM.verdict]: hist(15) }),
  ],
};

describe('summary of an artillery report', () => {
  const s = summary.summarize(REPORT, { scenario: 'baseline', short: true });

  it('gives each latency its percentiles, in the table order, and leaves out the absent ones', () => {
    expect(s.latencies.map((r) => r.name)).toEqual([HISTOGRAM.verdict, HISTOGRAM.sayFirstAudio]);
    expect(s.latencies[0]).toMatchObject({
      label: 'proposal → verdict',
      count: 100,
      p50: 4,
      p95: 12,
      p99: 18,
      max: 24,
    });
  });

  it('lists what went wrong by name, largest first, without zero counts or the totals', () => {
    expect(s.trouble).toEqual([
      { name: 'stagecraft.media_dropped', count: 3 },
      { name: 'stagecraft.errors.RATE_LIMITED', count: 2 },
      { name: 'errors.stagecraft.join_failed_521', count: 1 },
    ]);
  });

  it('counts NPCs and users live per period, in time order', () => {
    expect(s.series.map((p) => [p.t, p.npcs, p.users, p.p95[HISTOGRAM.verdict]])).toEqual([
      [0, 30, 3, 10],
      [10, 30, 2, 15],
      [20, 10, 0, 20],
    ]);
    expect(s.npcsPeak).toBe(30);
  });

  it('writes a Markdown table a reader can paste', () => {
    const md = summary.markdown(s);
    expect(md).toContain('### baseline (short form)');
    expect(md).toContain('| proposal → verdict | 100 | 4 | 12 | 18 | 24 |');
    expect(md).toContain(
      'Errors: stagecraft.media_dropped 3, stagecraft.errors.RATE_LIMITED 2, errors.stagecraft.join_failed_521 1.',
    );
  });

  it('reads the ensure results from artillery output, colours and all', () => {
    const out =
      'Checks:\n\u001b[32mok\u001b[39m: stagecraft.verdict_ms.p95 < 150\nfail: vusers.failed == 0 (optional)\n';
    expect(summary.parseChecks(out)).toEqual([
      { ok: true, text: 'stagecraft.verdict_ms.p95 < 150' },
      { ok: false, text: 'vusers.failed == 0' },
    ]);
  });

  it('makes an HTML page that needs nothing from the network', () => {
    const samples = [1, 2, 3].map((t) => ({
      t,
      rssMb: 100 + t,
      heapMb: 50,
      clients: 3,
      serverCpu: 40,
      generatorCpu: 10,
    }));
    const page = reportPage(s, samples);
    for (const id of ['latency', 'npcs', 'clients', 'memory', 'cpu']) expect(page).toContain(`<svg id="${id}"`);
    expect(page).not.toMatch(/(src|href)=["']?https?:/);
    expect(page).not.toContain('<script');
  });
});

describe('trend checks', () => {
  it('sees growth from the first third to the last, after the warm-up', () => {
    const flat = [9, 50, 50, 52, 49, 51, 50, 50, 49, 51, 50];
    expect(trend.growth(flat)?.growth).toBeCloseTo(0, 1);
    const rising = Array.from({ length: 20 }, (_, i) => 100 + i * 10);
    expect(trend.growth(rising)?.growth).toBeGreaterThan(0.5);
    expect(trend.growth([1, 2, 3])).toBeUndefined();
  });

  it('fails a rising RSS, passes a flat heap, and refuses to judge too few samples', () => {
    const samples = Array.from({ length: 30 }, (_, i) => ({ rssMb: 200 + i * 5, heapMb: 60 + (i % 3) }));
    const s = { series: [] } as unknown as Summary;
    const checks = trend.trendChecks(s, samples, { rss: 0.2, heap: 0.2, latency: { [HISTOGRAM.verdict]: 0.5 } });
    expect(checks.map((c) => c.ok)).toEqual([false, true, false]);
    expect(checks[0]?.text).toMatch(/^server RSS grows \d+ % \(/);
    expect(checks[2]?.text).toContain('too few samples');
  });
});

describe('the play step', () => {
  it('names the field it refuses', () => {
    expect(() => play.settings({ sayEvery: 3 })).toThrow(/^play\.sayEvery: unknown field; known: durationS/);
    expect(() => play.settings({ npcs: -1 })).toThrow('play.npcs: -1 must be a number ≥ 0');
    expect(play.settings({ durationS: '20' }).durationS).toBe(20);
  });

  it('counts the messages a second it will send, world reports split at 2,000 actors', () => {
    const s = play.settings({ proposalsPerNpcPerS: 0.1, reportEveryMs: 500, sayEveryS: 0, playerLineEveryS: 0 });
    expect(play.messageRate(s, 3000)).toBe(300 + 2 * 2);
  });
});

describe('scene files for a load run', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'stagecraft-load-scenes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one file per scene and the pack in a folder the server does not read as scenes', () => {
    expect(scenes.writeScenes(dir, { count: 2, cast: 7 })).toEqual(['load-7-0', 'load-7-1']);
    expect(readdirSync(dir).sort()).toEqual(['load-7-0.yaml', 'load-7-1.yaml', 'packs']);
    const scene = YAML.parse(readFileSync(path.join(dir, 'load-7-1.yaml'), 'utf8'));
    expect(scene.cast).toHaveLength(7);
    expect(new Set(scene.cast.map((m: { tier: string }) => m.tier))).toEqual(new Set(['gold', 'silver', 'bronze']));
    expect(YAML.parse(readFileSync(path.join(dir, scene.constraints), 'utf8')).pack).toBe('load-skirmish');
  });

  it('refuses a cast over the scene limit, naming the setting', () => {
    expect(() => scenes.writeScenes(dir, { count: 1, cast: 10_001 })).toThrow(/^config\.stagecraft\.cast: 10001/);
  });
});

describe('the scenarios', () => {
  const files = readdirSync(path.join(root, 'loadtesting', 'scenarios')).filter((f) => f.endsWith('.yml'));

  it('are the six, each with a full and a short form holding ensure checks', () => {
    expect(files.sort()).toEqual(
      ['baseline', 'failure-recovery', 'high', 'medium', 'spike', 'sustained'].map((n) => `${n}.yml`),
    );
    for (const f of files) {
      const config = YAML.parse(readFileSync(path.join(root, 'loadtesting', 'scenarios', f), 'utf8')).config;
      expect([f, config.plugins?.ensure]).toEqual([f, {}]);
      for (const env of ['full', 'short']) {
        const e = config.environments[env];
        expect([f, env, e.ensure.thresholds.length > 0, e.phases.length > 0]).toEqual([f, env, true, true]);
      }
    }
  });
});

describe('server metrics', () => {
  it('sums a metric over its label sets, or the ones asked for', () => {
    const text = [
      '# HELP stagecraft_scene_clients Clients',
      'stagecraft_scene_clients 12',
      'stagecraft_event_loop_delay_ms{stat="p50"} 1.5',
      'stagecraft_event_loop_delay_ms{stat="p99"} 20.25',
      'stagecraft_event_loop_delay_ms_other 7',
    ].join('\n');
    expect(metricValue(text, 'stagecraft_scene_clients')).toBe(12);
    expect(metricValue(text, 'stagecraft_event_loop_delay_ms', 'stat="p99"')).toBe(20.25);
    expect(metricValue(text, 'stagecraft_event_loop_delay_ms')).toBe(21.75);
    expect(metricValue(text, 'stagecraft_missing')).toBeUndefined();
  });
});

// The engine as Node (and artillery) loads it, in a child process: its wire reader over every
// server frame of the golden vectors, and a session fed the MediaDropped one. It loads the built
// @stagecraft/protocol.
const ENGINE_ON_VECTORS = `
const fs = require('node:fs');
const { loadWire } = require('./loadtesting/engine/wire.js');
const { Session } = require('./loadtesting/engine/session.js');
const dir = 'schemas/vectors/';
const bin = (name) => new Uint8Array(fs.readFileSync(dir + name + '.bin'));
loadWire().then(async (wire) => {
  const frames = fs.readdirSync(dir).filter((f) => f.startsWith('server-') && f.endsWith('.bin')).map((f) => {
    const name = f.replace(/\\.bin$/, '');
    const r = wire.readServer(bin(name));
    return { name, kind: r?.kind, requestId: r?.requestId, audio: r?.audio };
  });
  const counters = {};
  const ee = { emit: (kind, name, n) => { counters[name] = (counters[name] ?? 0) + n; } };
  const session = new Session(wire, ee, { timeoutMs: 10000 });
  session.onFrame(bin('server-media-dropped'), 0);
  await session.leave();
  console.log(JSON.stringify({ frames, counters }));
});
`;
const built = existsSync(path.join(root, 'schemas', 'dist', 'index.js'));
if (!built) console.warn('engine wire test skipped: @stagecraft/protocol is not built (npm run build)');

describe('the engine on the wire', () => {
  (built ? it : it.skip)('reads every server frame of the golden vectors and counts a MediaDropped', () => {
    const run = spawnSync(process.execPath, ['-e', ENGINE_ON_VECTORS], { cwd: root, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as {
      frames: { name: string; kind?: string; requestId?: string; audio?: unknown }[];
      counters: Record<string, number>;
    };
    const names = out.frames.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['server-audio', 'server-audio-opus', 'server-media-dropped']));
    for (const frame of out.frames) {
      const json = JSON.parse(readFileSync(path.join(root, 'schemas', 'vectors', `${frame.name}.json`), 'utf8')) as {
        frame: { code: number };
        message?: Record<string, Record<string, unknown>>;
      };
      if (json.frame.code !== 17) {
        expect(frame.kind).toBeUndefined();
        continue;
      }
      const { requestId = '', ...body } = json.message ?? {};
      const kind = Object.keys(body)[0] ?? '';
      expect({ name: frame.name, kind: frame.kind, requestId: frame.requestId }).toEqual({
        name: frame.name,
        kind,
        requestId,
      });
      if (kind !== 'audio') continue;
      const chunk = body[kind] ?? {};
      // PCM16 and Opus chunks alike: the header only, samples and packets left undecoded.
      expect(frame.audio).toEqual({
        performanceId: chunk.performanceId,
        seq: chunk.seq ?? 0,
        durationMs: chunk.durationMs ?? 0,
        final: chunk.final ?? false,
      });
    }
    expect(out.counters[COUNTER.mediaDropped]).toBe(1);
  });
});

const installed = existsSync(path.join(root, 'loadtesting', 'node_modules', 'artillery', 'package.json'));
if (!installed)
  console.warn('engine-loading test skipped: loadtesting/ is not installed (npm --prefix loadtesting install)');

describe('the engine as artillery loads it', () => {
  (installed ? it : it.skip)('is found by its package name and compiles a flow, naming a bad step', () => {
    const Engine = load('artillery-engine-stagecraft');
    const helpers = load('@artilleryio/int-commons').engine_util;
    const script = { config: { target: 'http://127.0.0.1:1', stagecraft: { scenes: 2 } } };
    const engine = new Engine(script, undefined, helpers);
    const flow = [{ join: { sceneId: 'a' } }, { think: 1 }, { loop: [{ play: {} }], count: 2 }, { leave: {} }];
    expect(typeof engine.createScenario({ flow }, { emit: () => true })).toBe('function');
    expect(() => engine.createScenario({ flow: [{ jump: {} }] }, { emit: () => true })).toThrow(
      'flow[0]: unknown step (jump); a stagecraft step is one of join, play, propose, report, say, playerLine, leave, think, loop',
    );
  });
});
