'use strict';
// One run's report as a self-contained HTML page: the summary tables and charts of latency,
// concurrency, memory and CPU over time. No script, no stylesheet or font from the network.
const { LATENCIES } = require('./summary');
const { lineChart, esc } = require('./svg');

const cell = (v) => (v === undefined ? '–' : typeof v === 'number' ? v.toLocaleString('en-US') : esc(v));

function latencyTable(sum) {
  const rows = sum.latencies.map(
    (r) =>
      `<tr><td>${esc(r.label)}</td><td>${cell(r.count)}</td><td>${cell(r.p50)}</td><td>${cell(r.p95)}</td><td>${cell(r.p99)}</td><td>${cell(r.max)}</td></tr>`,
  );
  return `<table><tr><th>latency</th><th>count</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th></tr>${rows.join('')}</table>`;
}

function charts(sum, samples) {
  const out = [];
  const labels = new Map(LATENCIES);
  const names = LATENCIES.map(([n]) => n).filter((n) => sum.series.some((p) => p.p95[n] !== undefined));
  if (names.length) {
    const lines = names.map((n) => ({ label: labels.get(n), points: sum.series.map((p) => [p.t, p.p95[n]]) }));
    out.push(lineChart('latency', { title: 'Latency over time: p95 per 10 s period', x: 's', y: 'ms', lines }));
  }
  if (sum.series.length) {
    const lines = [{ label: 'NPCs driven (generator)', points: sum.series.map((p) => [p.t, p.npcs]) }];
    out.push(lineChart('npcs', { title: 'Concurrency over time: NPCs', x: 's', y: 'NPCs', lines }));
  }
  if (samples?.length) {
    const line = (label, key) => ({ label, points: samples.map((s) => [s.t, s[key]]) });
    const clients = [line('clients in scenes (server)', 'clients')];
    out.push(
      lineChart('clients', {
        title: 'Concurrency over time: clients, every second',
        x: 's',
        y: 'clients',
        lines: clients,
      }),
    );
    const memory = [line('server RSS', 'rssMb'), line('server heap used', 'heapMb')];
    out.push(lineChart('memory', { title: 'Server memory', x: 's', y: 'MB', lines: memory }));
    const cpu = [line('server', 'serverCpu'), line('generator', 'generatorCpu')];
    out.push(lineChart('cpu', { title: 'CPU (100 % = one core)', x: 's', y: '%', lines: cpu }));
    out.push(
      lineChart('loop', {
        title: 'Server event-loop delay, p99 of the last 10 s',
        x: 's',
        y: 'ms',
        lines: [line('p99', 'loopP99Ms')],
      }),
    );
  }
  return out;
}

/** The page for `sum` (summary.js) and the run's server samples. */
function reportPage(sum, samples) {
  const form = sum.short ? 'short form' : 'full form';
  const trouble = sum.trouble.length
    ? `<ul>${sum.trouble.map((t) => `<li>${esc(t.name)}: ${cell(t.count)}</li>`).join('')}</ul>`
    : '<p>No errors.</p>';
  const checks = sum.checks.length
    ? `<ul>${sum.checks.map((k) => `<li class="${k.ok ? 'ok' : 'fail'}">${k.ok ? 'ok' : 'FAIL'}: ${esc(k.text)}</li>`).join('')}</ul>`
    : '';
  const events = sum.events.map((e) => `<p>Server killed at ${e.killedAtS} s, ready again at ${e.readyAtS} s.</p>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Stagecraft load test: ${esc(sum.scenario)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; } td, th { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
td:first-child, th:first-child { text-align: left; }
svg.chart { display: block; margin: 1.5em 0; font-size: 11px; } svg .title { font-weight: bold; font-size: 13px; }
.ok { color: #2a7a2a; } .fail { color: #b00; font-weight: bold; }
</style></head><body>
<h1>Load test: ${esc(sum.scenario)} (${form})</h1>
<p>${sum.durationS} s against ${esc(sum.target || 'loopback')}; ${sum.users.created} users (${sum.users.failed} failed);
peak ${cell(sum.npcsPeak)} NPCs. ${esc(sum.machine)}</p>
${latencyTable(sum)}
<h2>Errors</h2>${trouble}
${checks ? `<h2>Checks</h2>${checks}` : ''}
${events.join('\n')}
${charts(sum, samples).join('\n')}
</body></html>
`;
}

module.exports = { reportPage };
