import { execFile } from 'node:child_process';
import type { Metrics } from './metrics.js';

/** One GPU as `nvidia-smi` reports it; a field the GPU does not report is undefined. */
export interface GpuReading {
  index: string;
  utilizationPercent?: number;
  memoryUsedBytes?: number;
  memoryTotalBytes?: number;
  temperatureCelsius?: number;
  powerWatts?: number;
}

export const NVIDIA_SMI_ARGS = [
  '--query-gpu=index,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw',
  '--format=csv,noheader,nounits',
];

const MIB = 1024 * 1024;

/** Parses `nvidia-smi` CSV (NVIDIA_SMI_ARGS); `[N/A]` and other non-numbers leave a field out. */
export function parseNvidiaSmi(csv: string): GpuReading[] {
  return csv
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [index = '', util, used, total, temp, power] = line.split(',').map((f) => f.trim());
      const num = (f: string | undefined, scale = 1) => {
        const v = Number(f);
        return f !== undefined && f !== '' && Number.isFinite(v) ? v * scale : undefined;
      };
      return {
        index,
        utilizationPercent: num(util),
        memoryUsedBytes: num(used, MIB),
        memoryTotalBytes: num(total, MIB),
        temperatureCelsius: num(temp),
        powerWatts: num(power),
      };
    });
}

export type RunNvidiaSmi = () => Promise<string>;

const runNvidiaSmi: RunNvidiaSmi = () =>
  new Promise((resolve, reject) =>
    execFile('nvidia-smi', NVIDIA_SMI_ARGS, { timeout: 5000 }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
  );

type Field = Exclude<keyof GpuReading, 'index'>;
const GAUGES: [Field, string, string][] = [
  ['utilizationPercent', 'stagecraft_gpu_utilization_percent', 'GPU utilisation, percent'],
  ['memoryUsedBytes', 'stagecraft_gpu_memory_used_bytes', 'GPU memory in use, bytes'],
  ['memoryTotalBytes', 'stagecraft_gpu_memory_total_bytes', 'GPU memory in all, bytes'],
  ['temperatureCelsius', 'stagecraft_gpu_temperature_celsius', 'GPU temperature, °C'],
  ['powerWatts', 'stagecraft_gpu_power_watts', 'GPU power draw, W'],
];

/**
 * GPU gauges by `gpu` index, read from `nvidia-smi` every `intervalMs` without blocking the
 * event loop. Where `nvidia-smi` is missing or fails at start (a CPU machine) no GPU metric is
 * made, so none is published; undefined is returned.
 */
export async function gpuMetrics(
  metrics: Metrics,
  options: { run?: RunNvidiaSmi; intervalMs?: number } = {},
): Promise<{ stop(): void } | undefined> {
  const run = options.run ?? runNvidiaSmi;
  let last: GpuReading[];
  try {
    last = parseNvidiaSmi(await run());
  } catch {
    return undefined;
  }
  if (last.length === 0) return undefined;
  for (const [field, name, help] of GAUGES) {
    metrics.gauge<'gpu'>({
      name,
      help,
      labels: ['gpu'],
      sample: () =>
        last.flatMap((g) => (g[field] === undefined ? [] : [{ labels: { gpu: g.index }, value: g[field] as number }])),
    });
  }
  let polling = false;
  const timer = setInterval(() => {
    if (polling) return;
    polling = true;
    run()
      .then((csv) => {
        last = parseNvidiaSmi(csv);
      })
      .catch(() => {
        last = [];
      })
      .finally(() => {
        polling = false;
      });
  }, options.intervalMs ?? 10_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
