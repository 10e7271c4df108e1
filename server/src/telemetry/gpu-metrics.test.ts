import { execFileSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { gpuMetrics, NVIDIA_SMI_ARGS, parseNvidiaSmi } from './gpu-metrics.js';
import { WindowMetrics } from './window-metrics.js';

// Printed by `nvidia-smi` with NVIDIA_SMI_ARGS on an idle NVIDIA H200; then two GPUs, the first
// without a power sensor (nvidia-smi prints `[N/A]` for a field it cannot read).
const H200 = '0, 0, 0, 143771, 37, 110.90\n';
const NO_POWER = '0, 35, 2048, 8192, 61, [N/A]\n1, 99, 8000, 8192, 86, 250.5\n';

function nvidiaSmi(): string | undefined {
  try {
    return execFileSync('nvidia-smi', NVIDIA_SMI_ARGS, { encoding: 'utf8', timeout: 10_000 });
  } catch {
    return undefined;
  }
}

describe('GPU metrics', () => {
  it('parses nvidia-smi CSV, leaving out what a GPU does not report', () => {
    expect(parseNvidiaSmi(H200)).toEqual([
      {
        index: '0',
        utilizationPercent: 0,
        memoryUsedBytes: 0,
        memoryTotalBytes: 143771 * 1024 * 1024,
        temperatureCelsius: 37,
        powerWatts: 110.9,
      },
    ]);
    const [a, b] = parseNvidiaSmi(NO_POWER);
    expect(a?.powerWatts).toBeUndefined();
    expect(a?.utilizationPercent).toBe(35);
    expect(b).toMatchObject({ index: '1', utilizationPercent: 99, temperatureCelsius: 86, powerWatts: 250.5 });
  });

  it('publishes a gauge per GPU and field, and nothing where nvidia-smi is missing', async () => {
    const w = new WindowMetrics({ dimensions: { service: 'worker-gold' } });
    const gpu = await gpuMetrics(w, { run: async () => NO_POWER, intervalMs: 60_000 });
    gpu?.stop();
    const out = w.take();
    expect(out.filter((d) => d.name === 'stagecraft_gpu_power_watts').map((d) => d.dimensions)).toEqual([
      { service: 'worker-gold', gpu: '1' },
    ]);
    expect(out.find((d) => d.name === 'stagecraft_gpu_temperature_celsius' && d.dimensions.gpu === '1')?.value).toBe(
      86,
    );
    expect(new Set(out.map((d) => d.name)).size).toBe(5);

    const cpu = new WindowMetrics();
    const none = await gpuMetrics(cpu, {
      run: () => Promise.reject(Object.assign(new Error('spawn nvidia-smi ENOENT'), { code: 'ENOENT' })),
    });
    expect(none).toBeUndefined();
    expect(cpu.published()).toEqual([]);
  });

  const smi = nvidiaSmi();
  (smi ? it : it.skip)('reads the GPUs of this machine through nvidia-smi', async () => {
    const w = new WindowMetrics();
    const gpu = await gpuMetrics(w);
    gpu?.stop();
    const temps = w.take().filter((d) => d.name === 'stagecraft_gpu_temperature_celsius');
    expect(temps.length).toBe(parseNvidiaSmi(smi ?? '').length);
    for (const t of temps) expect(t.value).toBeGreaterThan(0);
  });
  if (!smi) console.log('skipping the nvidia-smi test: no nvidia-smi on this machine (no NVIDIA GPU)');
});
