import { describe, expect, it } from '@jest/globals';
import { adjacencyMapToArray, getAdjacencyMap, getShortestPaths, getStateNodes, toDirectedGraph } from '@xstate/graph';
import { createActor, fromPromise } from 'xstate';
import type { CompiledPack } from './compiled-pack.js';
import { judgeAndBook } from './judge.js';
import { sceneControllerMachine } from './scene-controller.machine.js';
import { persistScene, restoreScene } from './scene-persistence.js';
import { loadExamplePack } from './test-support/packs.js';
import type { TimelineEvent } from './timeline.js';
import type { Directive } from './vocabulary.js';
import type { WorldState } from './world-state.js';

/** A timer clock the test moves by hand. */
class ManualClock {
  now = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;
  setTimeout(fn: (...args: unknown[]) => void, ms: number): number {
    const id = this.next++;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(id: number): void {
    this.timers.delete(id);
  }
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = end;
  }
  get pending(): number {
    return this.timers.size;
  }
}

const ambush = loadExamplePack('timed-ambush');
const machineFor = (pack: CompiledPack) =>
  sceneControllerMachine.provide({ actors: { loadPack: fromPromise(async () => pack) } });

async function startedScene(clock: ManualClock) {
  const actor = createActor(machineFor(ambush), { clock });
  const timeline: TimelineEvent[] = [];
  actor.on('scene.timeline', (e) => timeline.push(...e.events));
  actor.start();
  actor.send({ type: 'scene.load', packRef: 'constraints/timed-ambush.yaml' });
  await new Promise((r) => setTimeout(r, 0));
  return { actor, timeline };
}

describe('SceneController', () => {
  it('loads a pack whose world the engine judges, and fires a deadline from its timer', async () => {
    const clock = new ManualClock();
    const { actor, timeline } = await startedScene(clock);
    expect(actor.getSnapshot().value).toEqual({ active: 'phase' });
    const world = actor.getSnapshot().context.scene as WorldState;
    const proposal = { proposalId: 'a', actorId: 'bandit-chief', verb: 'attack', targetId: 'player', amount: 5 };
    expect(judgeAndBook(ambush, world, proposal)).toMatchObject({
      proposalId: 'a',
      decision: 'veto',
      ruleId: 'chief-waits',
    });
    clock.advance(40_000);
    expect(timeline.map((e) => (e.kind === 'phaseEntered' ? e.phase : e.kind))).toEqual(['chief-joins']);
    expect(actor.getSnapshot().context.scene?.phaseDeadlineAtMs).toBe(105_000);
  });

  it('issues directives from the battle director on ticks', async () => {
    const { actor } = await startedScene(new ManualClock());
    const directives: Directive[] = [];
    actor.on('scene.directives', (e) => directives.push(...e.directives));
    actor.send({ type: 'scene.tick', nowMs: 500 });
    expect(directives.map((d) => d.npcId).sort()).toEqual(['bandit-1', 'bandit-2', 'bandit-chief']);
    expect(directives.find((d) => d.npcId === 'bandit-1')).toMatchObject({
      stance: 'hostile',
      targetId: 'player',
      retreatBelowHealth: 0.2,
    });
  });

  it('restores a running scene exactly and re-arms its pending deadline', async () => {
    const clock = new ManualClock();
    const { actor } = await startedScene(clock);
    actor.send({ type: 'scene.tick', nowMs: 30_000 });
    actor.send({ type: 'scene.worldReported', report: { nowMs: 30_000, actors: [{ id: 'bandit-1', health: 20 }] } });
    const saved = JSON.stringify(persistScene(actor));
    const before = actor.getSnapshot();
    actor.stop();

    const clock2 = new ManualClock();
    const restored = restoreScene(machineFor(ambush), JSON.parse(saved), 30_000, { clock: clock2 });
    const timeline: TimelineEvent[] = [];
    restored.on('scene.timeline', (e) => timeline.push(...e.events));
    const after = restored.getSnapshot();
    expect(after.value).toEqual(before.value);
    expect(after.context).toEqual(before.context);
    expect(JSON.stringify(restored.getPersistedSnapshot())).toBe(saved);
    expect(clock2.pending).toBe(1);
    clock2.advance(9_999);
    expect(timeline).toEqual([]);
    clock2.advance(1);
    expect(timeline).toMatchObject([{ kind: 'phaseEntered', phase: 'chief-joins', atMs: 40_000 }]);
  });

  it('path generation covers every state and transition', () => {
    const pack = ambush;
    const events = [
      { type: 'scene.load', packRef: 'p' },
      { type: 'xstate.done.actor.loader', output: pack },
      { type: 'xstate.error.actor.loader', error: 'no such pack' },
      { type: 'scene.tick', nowMs: 1000 },
      { type: 'scene.tick', nowMs: 200_000 },
      { type: 'scene.worldReported', report: { nowMs: 1000, actors: [] } },
      { type: 'scene.directivesIssued', directives: [] },
      { type: 'scene.pause' },
      { type: 'scene.resume', nowMs: 2000 },
      { type: 'scene.restored', nowMs: 2000 },
      { type: 'xstate.after.untilDeadline.sceneController.active.phase' },
    ] as never[];
    const serializeState = (snap: {
      value: unknown;
      context: { scene: { nowMs: number } | null; loadError: string | null };
    }) => JSON.stringify([snap.value, snap.context.scene?.nowMs ?? null, snap.context.loadError]);
    const steps = adjacencyMapToArray(
      getAdjacencyMap(sceneControllerMachine as never, { events, serializeState: serializeState as never }),
    ) as unknown as { state: { value: unknown }; event: { type: string }; nextState: { value: unknown } }[];
    const leaf = (v: unknown): string =>
      typeof v === 'string' ? v : (Object.entries(v as object).map(([k, c]) => `${k}.${leaf(c)}`)[0] ?? '');
    const taken = new Set(steps.map((s) => `${leaf(s.state.value)} --${s.event.type}--> ${leaf(s.nextState.value)}`));
    const statesReached = new Set(steps.flatMap((s) => [leaf(s.state.value), leaf(s.nextState.value)]));
    const allStates = getStateNodes(sceneControllerMachine.root)
      .filter((n) => n.type === 'atomic' || n.type === 'final')
      .map((n) => n.path.join('.'));
    expect([...statesReached].sort()).toEqual(allStates.sort());
    const edges: string[] = [];
    const walk = (node: ReturnType<typeof toDirectedGraph>) => {
      for (const e of node.edges) {
        const from = e.source.path.join('.');
        const to = e.target.path.join('.');
        edges.push(`${from} --${e.label.text}--> ${to}`);
      }
      node.children.forEach(walk);
    };
    walk(toDirectedGraph(sceneControllerMachine));
    // An edge between compound states is covered when taken between any of their children.
    const within = (leafPath: string, node: string) => leafPath === node || leafPath.startsWith(`${node}.`);
    const covered = (edge: string) => {
      const [from, event, to] = edge.split(/ --|--> /) as [string, string, string];
      return [...taken].some((t) => {
        const [tFrom, tEvent, tTo] = t.split(/ --|--> /) as [string, string, string];
        return tEvent === event && within(tFrom, from) && within(tTo, to);
      });
    };
    expect(edges.length).toBeGreaterThanOrEqual(11);
    const missing = edges.filter((e) => !covered(e));
    expect(missing).toEqual([]);
    expect(
      getShortestPaths(sceneControllerMachine as never, { events, serializeState: serializeState as never }).length,
    ).toBeGreaterThan(5);
  });
});
