import type { CompiledPack } from './compiled-pack.js';
import { type ConstraintEngine, createEngine } from './constraint-engine.js';
import type { Proposal, Verdict } from './vocabulary.js';
import type { WorldState } from './world-state.js';

const engines = new WeakMap<CompiledPack, ConstraintEngine>();

/** One engine per pack object: its per-actor index is built once, not per verdict. */
export function engineFor(pack: CompiledPack): ConstraintEngine {
  let e = engines.get(pack);
  if (!e) {
    e = createEngine(pack);
    engines.set(pack, e);
  }
  return e;
}

/**
 * Judges a proposal against the scene's world and books what the verdict lets through (the
 * rewritten action, when rewritten) into that world. The verdict carries the time taken, µs.
 */
export function judgeAndBook(pack: CompiledPack, world: WorldState, proposal: Proposal): Verdict {
  const engine = engineFor(pack);
  const t0 = performance.now();
  const verdict = engine.judge(world, proposal);
  verdict.decidedInUs = Math.round((performance.now() - t0) * 1000);
  const action = verdict.decision === 'allow' ? proposal : verdict.rewritten;
  if (action) engine.record(world, action);
  return verdict;
}
