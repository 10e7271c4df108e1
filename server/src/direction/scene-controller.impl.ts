import type { CompiledPack } from './compiled-pack.js';
import { type ConstraintEngine, createEngine } from './engine.js';
import { advanceTimeline, nextDeadlineAtMs, type TimelineEvent } from './timeline.js';
import type { Directive, Proposal, Verdict } from './vocabulary.js';
import { applyWorldReport, createSceneState, type SceneState, type WorldReport } from './world-state.js';

/** The SceneController's context: plain JSON, so it persists with the scene's event log. */
export interface SceneControllerContext {
  packRef: string | null;
  pack: CompiledPack | null;
  scene: SceneState | null;
  loadError: string | null;
  /** Output of the last event, for the provided side effects to deliver. */
  lastVerdict: Verdict | null;
  timeline: TimelineEvent[];
}

export type SceneControllerEvent =
  | { type: 'scene.load'; packRef: string }
  | { type: 'scene.tick'; nowMs: number }
  | { type: 'scene.worldReported'; report: WorldReport }
  | { type: 'scene.actionProposed'; proposal: Proposal }
  | { type: 'scene.directivesIssued'; directives: Directive[] }
  | { type: 'scene.pause' }
  | { type: 'scene.resume'; nowMs: number }
  | { type: 'scene.restored'; nowMs: number };

export function initialContext(): SceneControllerContext {
  return { packRef: null, pack: null, scene: null, loadError: null, lastVerdict: null, timeline: [] };
}

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

/** The context once a pack is loaded: a fresh scene state at `startMs` on the scene clock. */
export function startScene(pack: CompiledPack, startMs: number): Partial<SceneControllerContext> {
  return { pack, scene: createSceneState(pack, startMs), loadError: null };
}

/** The context with the scene clock moved forward to `nowMs` (never back). */
export function moveClock(ctx: SceneControllerContext, nowMs: number): Partial<SceneControllerContext> {
  if (!ctx.scene || nowMs <= ctx.scene.nowMs) return {};
  return { scene: { ...ctx.scene, nowMs } };
}

/** The timer fired: the clock has reached the deadline it was armed for. */
export function reachDeadline(ctx: SceneControllerContext): Partial<SceneControllerContext> {
  const at = ctx.scene ? nextDeadlineAtMs(ctx.scene) : null;
  return at === null ? {} : moveClock(ctx, at);
}

/**
 * Runs the timeline on a shallow copy of the scene (the timeline changes only its top-level
 * fields). Actors stay shared: world reports and verdicts update them in place, because
 * copying 10,000 actors per report would cost more than the report.
 */
export function runTimeline(ctx: SceneControllerContext): Partial<SceneControllerContext> {
  if (!ctx.pack || !ctx.scene) return { timeline: [] };
  const scene = { ...ctx.scene };
  return { scene, timeline: advanceTimeline(ctx.pack, scene) };
}

export function applyReport(ctx: SceneControllerContext, report: WorldReport): void {
  if (ctx.scene) applyWorldReport(ctx.scene, report);
}

/** Judges a proposal and books what it lets through; the verdict carries the time taken, µs. */
export function judgeProposal(ctx: SceneControllerContext, proposal: Proposal): void {
  if (!ctx.pack || !ctx.scene) return;
  const engine = engineFor(ctx.pack);
  const t0 = performance.now();
  const verdict = engine.judge(ctx.scene, proposal);
  verdict.decidedInUs = Math.round((performance.now() - t0) * 1000);
  const action = verdict.decision === 'allow' ? proposal : verdict.rewritten;
  if (action) engine.record(ctx.scene, action);
  ctx.lastVerdict = verdict;
}

/** Delay until the next deadline from the last known scene time, ms; the longest timer when none. */
export function msUntilDeadline(ctx: SceneControllerContext): number {
  const at = ctx.scene ? nextDeadlineAtMs(ctx.scene) : null;
  if (at === null || !ctx.scene) return 2 ** 31 - 1;
  return Math.max(0, at - ctx.scene.nowMs);
}

export function isResolved(ctx: SceneControllerContext): boolean {
  return ctx.scene?.resolution != null;
}
