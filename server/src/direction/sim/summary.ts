import type { SimWorld } from '../compiled-pack.js';
import type { Violation } from './oracle.js';
import type { BattleResult } from './run-battle.js';

export interface Distribution {
  min: number;
  p10: number;
  p50: number;
  p90: number;
  max: number;
  mean: number;
}

/** What `constraints simulate` reports: plain JSON. */
export interface SimulationSummary {
  pack: string;
  seed: number;
  battles: number;
  required: string | null;
  /** The simulated world the battles were played in. */
  world: SimWorld;
  /** `win`, `lose`, `draw` or `unresolved` → battles. */
  outcomes: Record<string, number>;
  /** How battles ended, e.g. `max-duration` → battles. */
  endings: Record<string, number>;
  requiredMet: number;
  timing: { minMs: number | null; maxMs: number | null };
  durationMs: Distribution;
  /** Battles by duration, in bins of `binMs` from 0. */
  durationHistogram: { binMs: number; counts: number[] };
  /** Battles that lasted at least minDuration (all of them when there is none). */
  lastedMin: number;
  /** Battles that entered each phase. */
  phases: { id: string; battles: number }[];
  /** Each directive line: in how many battles it was said. */
  lines: { line: string; battles: number }[];
  /** Lines the pack's instructions give that no battle said. */
  unsaid: string[];
  /** Hit points the player lost by action (`use_item:dagger`), and in how many battles; and what downed them. */
  playerDamage: { by: string; action: string; points: number; battles: number; downed: number }[];
  proposals: number;
  allowed: number;
  rewrites: Record<string, number>;
  vetoes: Record<string, number>;
  directives: number;
  violations: number;
  /** The first violations found, with the battle seed to replay them. */
  firstViolations: (Violation & { seed: number })[];
  /** Where the battles do not play out as the pack means them to. */
  warnings: string[];
  /** The first few battles whole, with their intensity curves and events. */
  samples: BattleResult[];
}
