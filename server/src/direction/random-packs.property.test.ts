import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { compilePack } from './compile-pack.js';
import type { CompiledPack } from './compiled-pack.js';
import { type ConstraintEngine, createEngine } from './constraint-engine.js';
import { packVerbs } from './constraint-index.js';
import { ConstraintOracle } from './sim/oracle.js';
import { performAction } from './sim/sim-world.js';
import { CAST, OWN_VERBS, randomPackSource } from './test-support/random-pack.js';
import { advanceTimeline } from './timeline.js';
import { type Proposal, VERBS } from './vocabulary.js';
import { applyWorldReport, createWorldState, type WorldState } from './world-state.js';

// Random packs of every rule kind, played by random autonomous actors, before and after the
// battle ends and across restarts (the world and the pack through JSON, as a snapshot carries
// them): an independent oracle checks every action the engine let through. The runs cover more
// than 100,000 actions in all; STAGECRAFT_PROPERTY_SCALE multiplies them for a longer search.
const SCALE = Number(process.env.STAGECRAFT_PROPERTY_SCALE ?? 1);
const RUNS = Math.round(1200 * SCALE);
const STEPS = 100;
// STAGECRAFT_PROPERTY_SEED searches elsewhere; a failure prints the seed and path to replay it.
const SEED = Number(process.env.STAGECRAFT_PROPERTY_SEED ?? 11);

const ids = [...CAST.map((m) => m.id), 'player'];
const verbs = [...VERBS, ...Object.keys(OWN_VERBS), 'dance'];

const step = fc.record({
  actor: fc.nat(ids.length - 1),
  verb: fc.nat(verbs.length - 1),
  target: fc.nat(ids.length - 1),
  amount: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 500 })),
  dtMs: fc.oneof(
    { arbitrary: fc.constant(0), weight: 2 },
    { arbitrary: fc.integer({ min: 0, max: 3000 }), weight: 6 },
    { arbitrary: fc.integer({ min: 0, max: 60_000 }), weight: 1 },
  ),
  x: fc.integer({ min: -100, max: 100 }),
  item: fc.constantFrom('healing-potion', 'dagger'),
  /** The game reports someone hurt, downed or gone now and then. */
  report: fc.oneof(
    { arbitrary: fc.constant(null), weight: 5 },
    {
      arbitrary: fc.record({
        who: fc.nat(ids.length - 1),
        health: fc.integer({ min: 0, max: 100 }),
        gone: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, { arbitrary: fc.constant(true), weight: 1 }),
      }),
      weight: 1,
    },
  ),
  /** Below 5: the scene restarts before this step. */
  restart: fc.integer({ min: 0, max: 99 }),
});

type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

/** Plays one sequence; returns the violations and how many actions went through the engine. */
interface Played {
  violations: unknown[];
  actions: number;
  /** Actions judged once the battle had ended, and after at least one restart. */
  afterResolution: number;
  afterRestart: number;
}

function play(compiled: CompiledPack, steps: Step[]): Played {
  let pack = compiled;
  let engine: ConstraintEngine = createEngine(pack);
  const oracle = new ConstraintOracle(pack);
  let state: WorldState = createWorldState(pack);
  const world = structuredClone(state);
  let actions = 0;
  let afterResolution = 0;
  let afterRestart = 0;
  let restarted = false;
  for (const [n, st] of steps.entries()) {
    world.nowMs = state.nowMs + st.dtMs;
    applyWorldReport(state, { nowMs: world.nowMs });
    const r = st.report;
    if (r) {
      const a = world.actors[ids[r.who] as string];
      if (a && !a.dead) {
        a.health = Math.min(a.maxHealth, r.health);
        a.downed = a.health === 0;
        a.present = !(r.gone && a.id !== 'player');
        applyWorldReport(state, {
          nowMs: world.nowMs,
          actors: [{ id: a.id, health: a.health, downed: a.downed, present: a.present }],
        });
      }
    }
    advanceTimeline(pack, state);
    if (st.restart < 5) {
      // What a restored scene has: its world and its pack, both through JSON.
      state = JSON.parse(JSON.stringify(state)) as WorldState;
      pack = JSON.parse(JSON.stringify(pack)) as CompiledPack;
      engine = createEngine(pack);
      restarted = true;
    }
    const verb = verbs[st.verb] as string;
    const proposal: Proposal = {
      proposalId: String(n),
      actorId: ids[st.actor] as string,
      verb,
      targetId: ids[st.target] as string,
      amount: st.amount,
      ...(verb === 'use_item' || verb === 'pickpocket'
        ? { params: { item: st.item } }
        : verb === 'move' || verb === 'sneak'
          ? { params: { x: String(st.x), y: '0' } }
          : {}),
    };
    const v = engine.judge(state, proposal);
    expect(v.decision === 'allow' || v.ruleId !== '').toBe(true);
    const action = v.decision === 'allow' ? proposal : v.rewritten;
    actions++;
    if (state.resolution) afterResolution++;
    if (restarted) afterRestart++;
    if (!action) continue;
    oracle.before(state, action);
    const reports = performAction(world, action, packVerbs(pack));
    engine.record(state, action);
    applyWorldReport(state, { nowMs: state.nowMs, actors: reports });
    oracle.after(state);
  }
  return { violations: oracle.violations, actions, afterResolution, afterRestart };
}

describe('constraint engine over random packs', () => {
  it(`lets no action through that breaks a constraint (${RUNS} packs × ${STEPS} actions)`, () => {
    const total = { actions: 0, afterResolution: 0, afterRestart: 0 };
    let compiled = 0;
    fc.assert(
      fc.property(randomPackSource, fc.array(step, { minLength: STEPS, maxLength: STEPS }), (source, steps) => {
        const { pack, problems } = compilePack(JSON.stringify(source), 'random.yaml');
        if (!pack) throw new Error(`generated pack did not compile: ${problems.map((p) => p.message).join('; ')}`);
        compiled++;
        const played = play(pack, steps);
        total.actions += played.actions;
        total.afterResolution += played.afterResolution;
        total.afterRestart += played.afterRestart;
        expect(played.violations).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(compiled).toBe(RUNS);
    expect(total.actions).toBeGreaterThanOrEqual(100_000 * Math.min(1, SCALE));
    // A good share of the play happens after the battle has ended, and after a restart.
    expect(total.afterResolution).toBeGreaterThan(total.actions / 10);
    expect(total.afterResolution).toBeLessThan(total.actions * 0.9);
    expect(total.afterRestart).toBeGreaterThan(total.actions / 10);
    console.log(`random packs: ${JSON.stringify(total)} actions`);
  });
});
