import type { PacingModeName } from '@stagecraft/protocol';
import type { CompiledPack } from './compiled-pack.js';
import { createMemory, type DirectorMemory, directNpcs } from './directing.js';
import { createPacing, enterMode, measureIntensity, nextMode, type PacingState, pacingGuards } from './pacing.js';
import type { Directive } from './vocabulary.js';
import type { WorldState } from './world-state.js';

/** The BattleDirector's context: plain JSON apart from the pack, which is plain data too. */
export interface BattleDirectorContext {
  pack: CompiledPack;
  pacing: PacingState;
  memory: DirectorMemory;
  /** Directives from the last tick, to be issued. */
  outbox: Directive[];
}

export type BattleDirectorEvent = { type: 'battle.tick'; scene: WorldState } | { type: 'battle.resolved' };

export function createDirectorContext(pack: CompiledPack, scene: WorldState): BattleDirectorContext {
  return { pack, pacing: createPacing(scene), memory: createMemory(), outbox: [] };
}

/**
 * One director tick: measure intensity, then work out the directives that changed into
 * `ctx.outbox`. Mutates the context in place: it is the director's own, and at 10,000 NPCs
 * copying it every tick would cost more than the tick.
 */
export function directorTick(ctx: BattleDirectorContext, scene: WorldState): void {
  measureIntensity(ctx.pacing, scene);
  ctx.outbox = [];
  directNpcs(ctx.pack, scene, ctx.pacing, ctx.memory, ctx.outbox);
}

/** Guards by name, for the machine's setup. */
export const directorGuards = {
  intensityAtPeak: ({ context }: { context: BattleDirectorContext }) => pacingGuards.atPeak(context.pacing),
  peakHeldLongEnough: ({ context }: { context: BattleDirectorContext }) => pacingGuards.peakHeld(context.pacing),
  intensityFaded: ({ context }: { context: BattleDirectorContext }) => pacingGuards.faded(context.pacing),
  relaxOver: ({ context }: { context: BattleDirectorContext }) => pacingGuards.relaxed(context.pacing, context.pack),
};

/** Pacing without the machine (simulate): tick, then change mode if due. */
export function paceWithoutMachine(ctx: BattleDirectorContext, scene: WorldState): PacingModeName {
  directorTick(ctx, scene);
  enterMode(ctx.pacing, nextMode(ctx.pacing, ctx.pack));
  return ctx.pacing.mode;
}
