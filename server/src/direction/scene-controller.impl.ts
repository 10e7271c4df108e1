import type { CompiledPack } from './compiled-pack.js';
import { advanceTimeline, nextDeadlineAtMs, type TimelineEvent } from './timeline.js';
import type { Directive } from './vocabulary.js';
import { applyWorldReport, createWorldState, type WorldReport, type WorldState } from './world-state.js';

/** The SceneController's context: plain JSON, so it persists with the scene's event log. */
export interface SceneControllerContext {
  packRef: string | null;
  pack: CompiledPack | null;
  scene: WorldState | null;
  loadError: string | null;
  /** Output of the last event, for the provided side effects to deliver. */
  timeline: TimelineEvent[];
}

export type SceneControllerEvent =
  | { type: 'scene.load'; packRef: string }
  | { type: 'scene.tick'; nowMs: number }
  | { type: 'scene.worldReported'; report: WorldReport }
  | { type: 'scene.directivesIssued'; directives: Directive[] }
  | { type: 'scene.pause' }
  | { type: 'scene.resume'; nowMs: number }
  | { type: 'scene.restored'; nowMs: number };

export function initialContext(): SceneControllerContext {
  return { packRef: null, pack: null, scene: null, loadError: null, timeline: [] };
}

/** The context once a pack is loaded: a fresh scene state at `startMs` on the scene clock. */
export function startScene(pack: CompiledPack, startMs: number): Partial<SceneControllerContext> {
  return { pack, scene: createWorldState(pack, startMs), loadError: null };
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

/** Delay until the next deadline from the last known scene time, ms; the longest timer when none. */
export function msUntilDeadline(ctx: SceneControllerContext): number {
  const at = ctx.scene ? nextDeadlineAtMs(ctx.scene) : null;
  if (at === null || !ctx.scene) return 2 ** 31 - 1;
  return Math.max(0, at - ctx.scene.nowMs);
}

export function isResolved(ctx: SceneControllerContext): boolean {
  return ctx.scene?.resolution != null;
}
