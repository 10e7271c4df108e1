import type { CompiledPack } from '../compiled-pack.js';
import { outcomeMet } from '../timeline.js';
import { battleSeed } from './battle-seed.js';
import { intentWarnings } from './intent.js';
import { runBattle } from './run-battle.js';
import type { SimulationSummary } from './summary.js';

export type { SimulationSummary } from './summary.js';

export interface SimulateOptions {
  seed: number;
  battles: number;
  /** Play exactly this one battle seed (as listed next to a violation) instead. */
  replay?: number;
  /** How many battles to keep whole, with intensity and events, for a report. */
  samples?: number;
  /** Called after each battle with the number done. */
  onProgress?: (done: number) => void;
}

function add(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/** Runs independent seeded battles and sums them up, with statistics of what the pack means. */
export function simulatePack(pack: CompiledPack, options: SimulateOptions): SimulationSummary {
  const n = options.replay === undefined ? options.battles : 1;
  const sampleCount = options.samples ?? 3;
  const s: SimulationSummary = {
    pack: pack.id,
    seed: options.replay ?? options.seed,
    battles: n,
    required: pack.outcome?.required ?? null,
    world: pack.simulate,
    outcomes: {},
    endings: {},
    requiredMet: 0,
    timing: { minMs: pack.timing.minMs, maxMs: pack.timing.maxMs },
    durationMs: { min: 0, p10: 0, p50: 0, p90: 0, max: 0, mean: 0 },
    durationHistogram: { binMs: 0, counts: [] },
    lastedMin: 0,
    phases: pack.timing.phases.map((p) => ({ id: p.id, battles: 0 })),
    lines: [],
    unsaid: [],
    playerDamage: [],
    proposals: 0,
    allowed: 0,
    rewrites: {},
    vetoes: {},
    directives: 0,
    violations: 0,
    firstViolations: [],
    warnings: [],
    samples: [],
  };
  const durations: number[] = [];
  const lines = new Map<string, number>();
  const damage = new Map<string, { points: number; battles: number; downed: number }>();
  for (let i = 0; i < n; i++) {
    const seed = options.replay ?? battleSeed(options.seed, i);
    const r = runBattle(pack, seed, { trace: i < sampleCount });
    if (i < sampleCount) s.samples.push(r);
    const outcome = r.resolution?.outcome ?? 'unresolved';
    s.outcomes[outcome] = (s.outcomes[outcome] ?? 0) + 1;
    const ending = r.resolution?.by ?? 'cut off';
    s.endings[ending] = (s.endings[ending] ?? 0) + 1;
    if (
      !pack.outcome ||
      (r.resolution &&
        outcomeMet(pack.outcome.required, r.resolution) &&
        !(r.resolution.playerDied && !pack.outcome.mayDie))
    )
      s.requiredMet++;
    durations.push(r.durationMs);
    if (pack.timing.minMs === null || r.durationMs >= pack.timing.minMs) s.lastedMin++;
    for (const id of new Set(r.phases)) {
      const ph = s.phases.find((p) => p.id === id);
      if (ph) ph.battles++;
    }
    for (const line of new Set(r.lines)) lines.set(line, (lines.get(line) ?? 0) + 1);
    for (const [action, points] of Object.entries(r.playerDamage)) {
      const d = damage.get(action) ?? { points: 0, battles: 0, downed: 0 };
      d.points += points;
      d.battles++;
      damage.set(action, d);
    }
    if (r.playerDownedBy) {
      const d = damage.get(r.playerDownedBy) ?? { points: 0, battles: 0, downed: 0 };
      d.downed++;
      damage.set(r.playerDownedBy, d);
    }
    s.proposals += r.proposals;
    s.allowed += r.allowed;
    add(s.rewrites, r.rewrites);
    add(s.vetoes, r.vetoes);
    s.directives += r.directives;
    s.violations += r.violations.length;
    for (const v of r.violations) if (s.firstViolations.length < 10) s.firstViolations.push({ ...v, seed });
    options.onProgress?.(i + 1);
  }
  durations.sort((a, b) => a - b);
  s.durationMs = {
    min: durations[0] ?? 0,
    p10: quantile(durations, 0.1),
    p50: quantile(durations, 0.5),
    p90: quantile(durations, 0.9),
    max: durations.at(-1) ?? 0,
    mean: durations.reduce((a, b) => a + b, 0) / Math.max(1, durations.length),
  };
  s.durationHistogram = histogram(durations, Math.max(pack.timing.maxMs ?? 0, s.durationMs.max));
  s.lines = [...lines].map(([line, battles]) => ({ line, battles })).sort((a, b) => b.battles - a.battles);
  const said = new Set(lines.keys());
  s.unsaid = pack.instructions.flatMap((ins) =>
    ins.lines.flatMap((l) => {
      const npcs = pack.cast.filter((m) => [...said].some((x) => x === `${m.id}: ${l.say}`));
      return npcs.length > 0 ? [] : [l.say];
    }),
  );
  s.playerDamage = [...damage]
    .map(([key, d]) => {
      const at = key.indexOf(' ');
      return { by: key.slice(0, at), action: key.slice(at + 1), ...d };
    })
    .sort((a, b) => b.points - a.points || a.by.localeCompare(b.by) || a.action.localeCompare(b.action));
  s.warnings = intentWarnings(pack, s);
  return s;
}

const NICE_BINS_MS = [1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000];

function histogram(sorted: number[], upToMs: number): { binMs: number; counts: number[] } {
  const binMs = NICE_BINS_MS.find((b) => upToMs / b <= 30) ?? 600_000;
  const counts = new Array<number>(Math.floor(upToMs / binMs) + 1).fill(0);
  for (const d of sorted) {
    const i = Math.min(counts.length - 1, Math.floor(d / binMs));
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return { binMs, counts };
}
