import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { CompiledPack } from './compiled-pack.js';
import { createEngine } from './constraint-engine.js';
import { ConstraintOracle } from './sim/oracle.js';
import { runBattle } from './sim/run-battle.js';
import { performAction } from './sim/sim-world.js';
import { loadExamplePack, PACK_FILES } from './test-support/packs.js';
import { advanceTimeline } from './timeline.js';
import { VERBS } from './vocabulary.js';
import { applyWorldReport, createWorldState } from './world-state.js';

const step = fc.record({
  actor: fc.nat(20),
  verb: fc.constantFrom(...VERBS, 'dance'),
  target: fc.nat(20),
  amount: fc.oneof(
    fc.integer({ min: 0, max: 40 }),
    fc.integer({ min: 0, max: 500 }),
    fc.double({ min: 0, max: 60, noNaN: true }),
  ),
  dtMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 60_000 })),
  x: fc.integer({ min: -200, max: 200 }),
  y: fc.integer({ min: -50, max: 50 }),
  item: fc.constantFrom('healing-potion', 'dagger', 'poison', 'bread'),
  where: fc.constantFrom('xy', 'area', 'none'),
  counter: fc.option(fc.nat(100)),
  report: fc.option(fc.record({ who: fc.nat(20), health: fc.integer({ min: 1, max: 100 }) }), { freq: 8 }),
});

/**
 * Random autonomous action sequences straight into the engine; an independent oracle checks
 * each action the engine let through (as allowed or rewritten) after the world performs it.
 */
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function runSequence(pack: CompiledPack, steps: Step[]) {
  const engine = createEngine(pack);
  const oracle = new ConstraintOracle(pack);
  const state = createWorldState(pack);
  const world = structuredClone(state);
  const ids = [...pack.cast.map((m) => m.id), pack.playerId];
  const areas = [...Object.keys(pack.areas), 'elsewhere'];
  let n = 0;
  for (const st of steps) {
    world.nowMs = state.nowMs + st.dtMs;
    applyWorldReport(state, {
      nowMs: world.nowMs,
      ...(st.counter === null ? {} : { counters: { 'bridge-progress': st.counter, 'drinks-served': st.counter } }),
    });
    if (st.report) {
      const who = world.actors[ids[st.report.who % ids.length] as string];
      if (who && !who.downed && !who.dead) {
        who.health = Math.min(who.maxHealth, st.report.health);
        applyWorldReport(state, { nowMs: world.nowMs, actors: [{ id: who.id, health: who.health }] });
      }
    }
    advanceTimeline(pack, state);
    const params: Record<string, string> | undefined =
      st.verb === 'use_item'
        ? { item: st.item }
        : st.where === 'xy'
          ? { x: String(st.x), y: String(st.y) }
          : st.where === 'area'
            ? { area: areas[Math.abs(st.x) % areas.length] ?? '' }
            : undefined;
    const proposal = {
      proposalId: String(n++),
      actorId: ids[st.actor % ids.length] as string,
      verb: st.verb,
      targetId: ids[st.target % ids.length] as string,
      amount: st.amount,
      ...(params ? { params } : {}),
    };
    const v = engine.judge(state, proposal);
    expect(v.decision === 'allow' || v.ruleId !== '').toBe(true);
    const action = v.decision === 'allow' ? proposal : v.rewritten;
    if (!action) continue;
    oracle.before(state, action);
    const reports = performAction(world, action);
    engine.record(state, action);
    applyWorldReport(state, { nowMs: state.nowMs, actors: reports });
    oracle.after(state);
  }
  return oracle.violations;
}

describe.each(PACK_FILES)('constraint engine over %s', (name) => {
  const pack = loadExamplePack(name);

  it('lets no action through that breaks a constraint', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        expect(runSequence(pack, steps)).toEqual([]);
      }),
      { numRuns: 1500, seed: 42 },
    );
  });

  it('reaches the required outcome in every simulated battle, with no violation', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const r = runBattle(pack, seed);
        expect(r.violations).toEqual([]);
        if (pack.outcome) expect(r.resolution).not.toBeNull();
      }),
      { numRuns: name === 'tavern-no-violence' ? 40 : 150, seed: 7 },
    );
  });
});
