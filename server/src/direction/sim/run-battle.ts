import { createDirectorContext, paceWithoutMachine } from '../battle-director.impl.js';
import type { CompiledPack, Guard } from '../compiled-pack.js';
import { createEngine } from '../constraint-engine.js';
import { advanceTimeline } from '../timeline.js';
import type { Proposal } from '../vocabulary.js';
import { actorOf, applyWorldReport, createWorldState, type Resolution } from '../world-state.js';
import { heed, type NpcMind, npcProposal, playerProposal } from './autonomous.js';
import { ConstraintOracle, type Violation } from './oracle.js';
import { Rng } from './rng.js';
import { performAction } from './sim-world.js';

export interface BattleOptions {
  /** Keep the intensity curve and the event timeline (for sample battles in a report). */
  trace?: boolean;
}

/** Something that happened in a battle, for a timeline. */
export interface BattleEvent {
  atMs: number;
  kind: 'phase' | 'line' | 'down' | 'resolved';
  text: string;
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
  /** Ids of the phases the battle entered, the first included, in order. */
  phases: string[];
  /** Directive lines said: `npc: text`. */
  lines: string[];
  /** Hit points the player lost, by who did what (`bandit-1 attack`, `aldo use_item:dagger`). */
  playerDamage: Record<string, number>;
  /** Who downed the player with what (`bandit-1 attack`), if anyone did. */
  playerDownedBy: string | null;
  /** With `trace`: [scene ms, director intensity 0..1] once a second. */
  intensity?: [number, number][];
  /** With `trace`: phases, lines, downs and the resolution. */
  events?: BattleEvent[];
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

const actionKey = (p: Proposal) => (p.params?.item ? `${p.verb}:${p.params.item}` : p.verb);

/** Plays one randomised battle with scripted autonomous NPCs, checking every action taken. */
export function runBattle(pack: CompiledPack, seed: number, options: BattleOptions = {}): BattleResult {
  const world0 = pack.simulate;
  const tickMs = world0.tickMs;
  const capMs = pack.timing.maxMs ?? world0.cutoffMs;
  const rng = new Rng(seed);
  const engine = createEngine(pack);
  const oracle = new ConstraintOracle(pack);
  const state = createWorldState(pack, 0, world0.playerHealth);
  for (const m of pack.cast) {
    const a = actorOf(state, m.id);
    if (a && m.health === null) a.health = a.maxHealth = world0.npcHealth;
  }
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
    phases: pack.timing.phases[0] ? [pack.timing.phases[0].id] : [],
    lines: [],
    playerDamage: {},
    playerDownedBy: null,
    ...(options.trace ? { intensity: [], events: [] } : {}),
  };
  const note = (kind: BattleEvent['kind'], text: string) => result.events?.push({ atMs: state.nowMs, kind, text });
  let phaseIndex = 0;
  const followTimeline = () => {
    advanceTimeline(pack, state);
    if (state.phaseIndex !== phaseIndex) {
      phaseIndex = state.phaseIndex;
      const id = pack.timing.phases[phaseIndex]?.id ?? '';
      result.phases.push(id);
      note('phase', `phase ${id}`);
    }
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
    const target = action.targetId ? actorOf(state, action.targetId) : undefined;
    const before = target ? { health: target.health, down: target.downed || target.dead } : undefined;
    const reports = performAction(world, action, pack.verbs, world0.items);
    engine.record(state, action);
    applyWorldReport(state, { nowMs: state.nowMs, actors: reports });
    oracle.after(state);
    if (target && before) {
      const key = `${action.actorId} ${actionKey(action)}`;
      const lost = before.health - target.health;
      if (target.id === state.playerId && lost > 0) result.playerDamage[key] = (result.playerDamage[key] ?? 0) + lost;
      if (!before.down && (target.downed || target.dead)) {
        note('down', `${target.id} ${target.dead ? 'killed' : 'downed'} by ${action.actorId} (${actionKey(action)})`);
        if (target.id === state.playerId) result.playerDownedBy = key;
      }
    }
    followTimeline();
  };

  for (let t = tickMs; t <= capMs + tickMs && !state.resolution; t += tickMs) {
    world.nowMs = t;
    for (const c of Object.keys(counters)) {
      const expected = ((world0.counters[c] ?? world0.counterRate) * tickMs) / 1000;
      const whole = Math.floor(expected);
      counters[c] = (counters[c] ?? 0) + whole + (rng.chance(expected - whole) ? 1 : 0);
    }
    applyWorldReport(state, { nowMs: t, counters });
    followTimeline();
    if (state.resolution || t > capMs) break;
    paceWithoutMachine(director, state);
    if (result.intensity && t % 1000 < tickMs) result.intensity.push([t, director.pacing.intensity]);
    const directives = director.outbox;
    result.directives += directives.length;
    for (const d of directives) {
      const mind = minds.get(d.npcId);
      if (mind) heed(mind, d);
      if (d.say) {
        result.lines.push(`${d.npcId}: ${d.say}`);
        note('line', `${d.npcId}: ${d.say}`);
      }
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
  result.durationMs = state.resolution?.atMs ?? Math.min(state.nowMs, capMs);
  if (state.resolution) note('resolved', `${state.resolution.outcome} (${state.resolution.by})`);
  return result;
}
