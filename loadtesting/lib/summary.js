'use strict';
// Artillery's JSON report (`artillery run --output`) and the server samples of a run, summed up:
// latency percentiles, errors, concurrency over time, capacity and recovery. Pure functions.
const { HISTOGRAM, COUNTER } = require('../engine/metrics');

/** The latencies a summary shows, in this order, with what each one measures. */
const LATENCIES = [
  [HISTOGRAM.verdict, 'proposal → verdict'],
  [HISTOGRAM.reportAck, 'world report → ack'],
  [HISTOGRAM.sayFirstAudio, 'Say → first audio'],
  [HISTOGRAM.replyFirstAudio, 'player line → first NPC audio'],
  [HISTOGRAM.stop, 'STOP → end of line'],
  [HISTOGRAM.chunkJitter, 'audio chunk jitter'],
  [HISTOGRAM.join, 'join (matchmaking → snapshot)'],
  [HISTOGRAM.recovery, 'connection lost → next verdict'],
];

/** Counters that count something going wrong; `errors.` is artillery's own (failed users). */
const TROUBLE = [
  'errors.',
  `${COUNTER.errors}.`,
  `${COUNTER.timeouts}.`,
  `${COUNTER.disconnects}.`,
  COUNTER.mediaDropped,
];

const round = (v, digits = 1) => (typeof v === 'number' ? Number(v.toFixed(digits)) : undefined);

function latencyRows(summaries) {
  return LATENCIES.filter(([name]) => summaries?.[name]?.count > 0).map(([name, label]) => {
    const s = summaries[name];
    return { name, label, count: s.count, p50: s.median ?? s.p50, p95: s.p95, p99: s.p99, max: s.max };
  });
}

function troubleRows(counters) {
  return Object.entries(counters ?? {})
    .filter(([name, n]) => n > 0 && TROUBLE.some((prefix) => name.startsWith(prefix)))
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

/** Per artillery period (10 s): seconds from the first, NPCs and users live at its end, p95 of each latency. */
function series(intermediate) {
  const periods = [...(intermediate ?? [])].sort((a, b) => Number(a.period) - Number(b.period));
  const start = periods.length ? Number(periods[0].period) : 0;
  let npcs = 0;
  let users = 0;
  return periods.map((p) => {
    const c = p.counters ?? {};
    npcs += (c[COUNTER.npcsJoined] ?? 0) - (c[COUNTER.npcsLeft] ?? 0);
    users += (c['vusers.created'] ?? 0) - (c['vusers.completed'] ?? 0) - (c['vusers.failed'] ?? 0);
    const p95 = {};
    for (const [name] of LATENCIES) if (p.summaries?.[name]) p95[name] = p.summaries[name].p95;
    return { t: (Number(p.period) - start) / 1000, npcs, users, p95, errors: c[COUNTER.errors] ?? 0 };
  });
}

/** Server samples (sampler.js): the highest and the first/last of each, and when the clients first peaked. */
function serverFigures(samples) {
  if (!samples?.length) return undefined;
  const max = (key) => Math.max(...samples.map((s) => s[key] ?? 0));
  const peakClients = max('clients');
  const full = samples.find((s) => s.clients >= peakClients && peakClients > 0);
  const cpu = samples.filter((s) => s.serverCpu !== undefined);
  // The delay gauge covers the last 10 s: readings from before the first client are the server's start-up.
  const first = samples.find((s) => s.clients > 0);
  const loaded = first ? samples.filter((s) => s.t >= first.t + 10) : [];
  const mean = (list, key) => (list.length ? list.reduce((n, s) => n + (s[key] ?? 0), 0) / list.length : undefined);
  return {
    rssMbMax: round(max('rssMb')),
    heapMbMax: round(max('heapMb')),
    loopP99MsMax: round(Math.max(0, ...loaded.map((s) => s.loopP99Ms ?? 0))),
    serverCpuMean: round(mean(cpu, 'serverCpu'), 0),
    serverCpuMax: round(max('serverCpu'), 0),
    generatorCpuMean: round(mean(cpu, 'generatorCpu'), 0),
    peakClients,
    fullAtS: full ? round(full.t) : undefined,
    fallbacks: max('fallbacks'),
  };
}

/**
 * The summary of one run. `report`: artillery's JSON; `run`: { scenario, short, target, machine,
 * samples, events: { killedAtS, readyAtS }[], checks: { ok, text }[], exitCode }.
 */
function summarize(report, run = {}) {
  const a = report.aggregate ?? {};
  const c = a.counters ?? {};
  const s = series(report.intermediate);
  return {
    scenario: run.scenario ?? 'unnamed',
    short: Boolean(run.short),
    target: run.target ?? '',
    machine: run.machine ?? '',
    durationS: round(((a.lastMetricAt ?? 0) - (a.firstMetricAt ?? 0)) / 1000, 0),
    users: {
      created: c['vusers.created'] ?? 0,
      completed: c['vusers.completed'] ?? 0,
      failed: c['vusers.failed'] ?? 0,
    },
    npcsPeak: Math.max(0, ...s.map((p) => p.npcs)),
    messages: { sent: c[COUNTER.sent] ?? 0, received: c[COUNTER.received] ?? 0 },
    latencies: latencyRows(a.summaries),
    trouble: troubleRows(c),
    series: s,
    server: serverFigures(run.samples),
    events: run.events ?? [],
    checks: run.checks ?? [],
    exitCode: run.exitCode,
  };
}

const cell = (v) => (v === undefined ? '–' : typeof v === 'number' ? v.toLocaleString('en-US') : String(v));

/** The summary as Markdown: one line of context, the latency table, then trouble, server and checks. */
function markdown(sum) {
  const lines = [];
  const form = sum.short ? 'short form' : 'full form';
  const played = sum.playSeconds ? `, each user playing ${sum.playSeconds} s` : '';
  lines.push(`### ${sum.scenario} (${form}${played})`, '');
  lines.push(
    `${sum.durationS} s against ${sum.target || 'loopback'}; ${sum.users.created} users (${sum.users.failed} failed), ` +
      `peak ${cell(sum.npcsPeak)} NPCs; ${cell(sum.messages.sent)} messages sent, ${cell(sum.messages.received)} received` +
      (sum.machine ? `; ${sum.machine}` : ''),
    '',
  );
  lines.push('| latency | count | p50 ms | p95 ms | p99 ms | max ms |', '| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of sum.latencies) {
    lines.push(`| ${r.label} | ${cell(r.count)} | ${cell(r.p50)} | ${cell(r.p95)} | ${cell(r.p99)} | ${cell(r.max)} |`);
  }
  lines.push('');
  if (sum.trouble.length) lines.push(`Errors: ${sum.trouble.map((t) => `${t.name} ${cell(t.count)}`).join(', ')}.`);
  else lines.push('Errors: none.');
  const v = sum.server;
  if (v) {
    lines.push(
      '',
      `Server: CPU mean ${cell(v.serverCpuMean)} % (max ${cell(v.serverCpuMax)} %), generator CPU mean ${cell(v.generatorCpuMean)} % ` +
        `(100 % = one core); RSS max ${cell(v.rssMbMax)} MB, heap max ${cell(v.heapMbMax)} MB, event-loop delay p99 max ${cell(v.loopP99MsMax)} ms (from 10 s after the first client); ` +
        `${cell(v.peakClients)} clients at the peak` +
        (v.fullAtS !== undefined ? `, first reached at ${v.fullAtS} s` : '') +
        (v.fallbacks ? `; ${v.fallbacks} tier fallbacks` : '') +
        '.',
    );
  }
  for (const e of sum.events) lines.push('', `Server killed at ${e.killedAtS} s, ready again at ${e.readyAtS} s.`);
  if (sum.checks.length) {
    lines.push('', 'Checks:', ...sum.checks.map((k) => `- ${k.ok ? 'ok' : 'FAIL'}: ${k.text}`));
  }
  return `${lines.join('\n')}\n`;
}

/** The ensure results artillery prints ("ok: …", "fail: …"), from its output. */
function parseChecks(output) {
  const checks = [];
  for (const line of output.split('\n')) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: artillery colours its output
    const m = /^(ok|fail): (.+)$/.exec(line.replace(/\u001b\[[0-9;]*m/g, '').trim());
    if (m) checks.push({ ok: m[1] === 'ok', text: m[2].replace(/ \(optional\)$/, '') });
  }
  return checks;
}

module.exports = { summarize, markdown, parseChecks, series, LATENCIES };
