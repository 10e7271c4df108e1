import type { CompiledPack } from '../compiled-pack.js';
import { outcomeMet } from '../timeline.js';
import type { Violation } from './oracle.js';
import { type BattleOptions, runBattle } from './run-battle.js';

export interface SimulateOptions extends BattleOptions {
  seed: number;
  battles: number;
  /** Called after each battle with the number done. */
  onProgress?: (done: number) => void;
}

/** What `constraints simulate` reports: plain JSON. */
export interface SimulationSummary {
  pack: string;
  seed: number;
  battles: number;
  required: string | null;
  /** `win`, `lose`, `draw` or `unresolved` → battles. */
  outcomes: Record<string, number>;
  /** How battles ended, e.g. `max-duration` → battles. */
  endings: Record<string, number>;
  requiredMet: number;
  durationMs: { min: number; p50: number; p90: number; max: number; mean: number };
  proposals: number;
  allowed: number;
  rewrites: Record<string, number>;
  vetoes: Record<string, number>;
  directives: number;
  violations: number;
  /** The first violations found, with the battle seed to replay them. */
  firstViolations: (Violation & { seed: number })[];
}

function add(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/** Runs `battles` seeded battles (battle i uses seed + i) and sums them up. */
export function simulatePack(pack: CompiledPack, options: SimulateOptions): SimulationSummary {
  const s: SimulationSummary = {
    pack: pack.id,
    seed: options.seed,
    battles: options.battles,
    required: pack.outcome?.required ?? null,
    outcomes: {},
    endings: {},
    requiredMet: 0,
    durationMs: { min: 0, p50: 0, p90: 0, max: 0, mean: 0 },
    proposals: 0,
    allowed: 0,
    rewrites: {},
    vetoes: {},
    directives: 0,
    violations: 0,
    firstViolations: [],
  };
  const durations: number[] = [];
  for (let i = 0; i < options.battles; i++) {
    const seed = (options.seed + i) >>> 0;
    const r = runBattle(pack, seed, options);
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
  const mean = durations.reduce((a, b) => a + b, 0) / Math.max(1, durations.length);
  s.durationMs = {
    min: durations[0] ?? 0,
    p50: quantile(durations, 0.5),
    p90: quantile(durations, 0.9),
    max: durations.at(-1) ?? 0,
    mean,
  };
  return s;
}
