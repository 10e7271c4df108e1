import { createDirectorContext, paceWithoutMachine } from '../battle-director.impl.js';
import type { CompiledPack, Guard } from '../compiled-pack.js';
import { createEngine } from '../engine.js';
import { advanceTimeline } from '../timeline.js';
import type { Proposal } from '../vocabulary.js';
import { applyWorldReport, createSceneState, type Resolution } from '../world-state.js';
import { heed, type NpcMind, npcProposal, playerProposal } from './autonomous.js';
import { ConstraintOracle, type Violation } from './oracle.js';
import { Rng } from './rng.js';
import { performAction } from './sim-world.js';

export interface BattleOptions {
  /** Simulated time per tick, ms. */
  tickMs?: number;
  /** Where a battle with no maxDuration is cut off, ms. */
  capMs?: number;
}

export interface BattleResult {
  seed: number;
  resolution: Resolution | null;
  durationMs: number;
  proposals: number;
  allowed: number;
  /** Counts by deciding rule id. */
  rewrites: Record<string, number>;
  vetoes: Record<string, number>;
  directives: number;
  violations: Violation[];
}

function countersIn(pack: CompiledPack): string[] {
  const names = new Set<string>();
  const walk = (g: Guard | null) => {
    if (!g) return;
    if (g.guard === 'counterAtLeast') names.add(g.counter);
    else if (g.guard === 'all' || g.guard === 'any') g.of.forEach(walk);
    else if (g.guard === 'not') walk(g.of);
  };
  for (const p of pack.timing.phases) walk(p.enter);
  for (const r of pack.rules) walk(r.when);
  for (const i of pack.instructions) for (const l of i.lines) walk(l.cue);
  return [...names];
}

/** Plays one randomised battle with scripted autonomous NPCs, checking every action taken. */
export function runBattle(pack: CompiledPack, seed: number, options: BattleOptions = {}): BattleResult {
  const tickMs = options.tickMs ?? 500;
  const capMs = pack.timing.maxMs ?? options.capMs ?? 300_000;
  const rng = new Rng(seed);
  const engine = createEngine(pack);
  const oracle = new ConstraintOracle(pack);
  const state = createSceneState(pack);
  const world = structuredClone(state);
  const director = createDirectorContext(pack, state);
  const minds = new Map<string, NpcMind>();
  for (const m of pack.cast)
    minds.set(m.id, { aggression: 0.5, targetId: '', stance: m.stance ?? 'neutral', retreatBelow: 0 });
  const counters = Object.fromEntries(countersIn(pack).map((c) => [c, 0]));
  const result: BattleResult = {
    seed,
    resolution: null,
    durationMs: 0,
    proposals: 0,
    allowed: 0,
    rewrites: {},
    vetoes: {},
    directives: 0,
    violations: oracle.violations,
  };

  const act = (p: Proposal) => {
    result.proposals++;
    const v = engine.judge(state, p);
    if (v.decision === 'veto') result.vetoes[v.ruleId] = (result.vetoes[v.ruleId] ?? 0) + 1;
    else if (v.decision === 'rewrite') result.rewrites[v.ruleId] = (result.rewrites[v.ruleId] ?? 0) + 1;
    else result.allowed++;
    const action = v.decision === 'allow' ? p : v.rewritten;
    if (!action) return;
    oracle.before(state, action);
    const reports = performAction(world, action);
    engine.record(state, action);
    applyWorldReport(state, { nowMs: state.nowMs, actors: reports });
    oracle.after(state);
    advanceTimeline(pack, state);
  };

  for (let t = tickMs; t <= capMs + tickMs && !state.resolution; t += tickMs) {
    world.nowMs = t;
    for (const c of Object.keys(counters)) if (rng.chance(0.2)) counters[c] = (counters[c] ?? 0) + 1;
    applyWorldReport(state, { nowMs: t, counters });
    advanceTimeline(pack, state);
    if (state.resolution || t > capMs) break;
    paceWithoutMachine(director, state);
    const directives = director.outbox;
    result.directives += directives.length;
    for (const d of directives) {
      const mind = minds.get(d.npcId);
      if (mind) heed(mind, d);
    }
    for (const m of pack.cast) {
      const self = state.actors[m.id];
      const mind = minds.get(m.id);
      if (!self || !mind || state.resolution) continue;
      const p = npcProposal(pack, state, self, mind, rng);
      if (p) act(p);
    }
    const p = state.resolution ? null : playerProposal(pack, state, rng);
    if (p) act(p);
  }
  oracle.end(state, state.resolution);
  result.resolution = state.resolution;
  result.durationMs = state.resolution?.atMs ?? state.nowMs;
  return result;
}
