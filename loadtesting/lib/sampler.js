'use strict';
// Samples the server's /metrics (Prometheus text) every second during a run: memory, event-loop
// delay, clients, CPU; and the generator's CPU from /proc when it runs here.
const fs = require('node:fs');

/**
 * Sums of the samples of `name` in Prometheus text, over the label sets that contain `labels`
 * (e.g. 'stat="p99"'). Only plain `name{…} value` lines are read: enough for the gauges and
 * counters below, which prom-client writes one per line.
 */
function metricValue(text, name, labels = '') {
  let sum;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{')) continue;
    const close = line.lastIndexOf('}');
    const labelText = line[name.length] === '{' ? line.slice(name.length + 1, close) : '';
    if (labels && !labelText.includes(labels)) continue;
    const value = Number(
      line
        .slice(close > 0 ? close + 1 : name.length)
        .trim()
        .split(' ')[0],
    );
    if (Number.isFinite(value)) sum = (sum ?? 0) + value;
  }
  return sum;
}

/** CPU seconds a local process has used (user + system), or undefined when it cannot be read. */
function processCpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return undefined;
  }
}

class Sampler {
  /** `metricsUrl`: the server's /metrics; `headers`: e.g. the operator key; `generatorPid`: artillery's pid. */
  constructor({ metricsUrl, headers = {}, generatorPid, everyMs = 1000 }) {
    this.metricsUrl = metricsUrl;
    this.headers = headers;
    this.generatorPid = generatorPid;
    this.everyMs = everyMs;
    this.samples = [];
    this.started = performance.now();
    this.last = undefined;
    this.failures = 0;
  }

  start() {
    this.timer = setInterval(() => void this.sample(), this.everyMs);
    return this;
  }

  stop() {
    clearInterval(this.timer);
    return this.samples;
  }

  async sample() {
    const at = performance.now();
    let text;
    try {
      const r = await fetch(this.metricsUrl, { headers: this.headers, signal: AbortSignal.timeout(900) });
      text = r.ok ? await r.text() : undefined;
    } catch {
      text = undefined;
    }
    if (text === undefined) {
      this.failures++;
      return;
    }
    const v = (name, labels) => metricValue(text, name, labels);
    const cpu = v('stagecraft_process_cpu_seconds_total');
    const gen = this.generatorPid ? processCpuSeconds(this.generatorPid) : undefined;
    const s = {
      t: Number(((at - this.started) / 1000).toFixed(1)),
      rssMb: mb(v('stagecraft_process_resident_memory_bytes')),
      heapMb: mb(v('stagecraft_nodejs_heap_size_used_bytes')),
      loopP99Ms: v('stagecraft_event_loop_delay_ms', 'stat="p99"'),
      clients: v('stagecraft_scene_clients'),
      scenes: v('stagecraft_scenes_live'),
      queueDepth: v('stagecraft_dialogue_queue_depth'),
      fallbacks: v('stagecraft_tier_fallbacks_total'),
    };
    if (this.last) {
      const dt = (at - this.last.at) / 1000;
      // A restarted server counts its CPU from 0 again: that second has no figure.
      if (cpu !== undefined && this.last.cpu !== undefined && cpu >= this.last.cpu) {
        s.serverCpu = Math.round((100 * (cpu - this.last.cpu)) / dt);
      }
      if (gen !== undefined && this.last.gen !== undefined)
        s.generatorCpu = Math.round((100 * (gen - this.last.gen)) / dt);
    }
    this.last = { at, cpu, gen };
    this.samples.push(s);
  }
}

const mb = (bytes) => (bytes === undefined ? undefined : Number((bytes / 2 ** 20).toFixed(1)));

module.exports = { Sampler, metricValue, processCpuSeconds };
