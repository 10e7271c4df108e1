import type { PacingModeName } from '@stagecraft/protocol';
import { emit, setup } from 'xstate';
import {
  type BattleDirectorContext,
  type BattleDirectorEvent,
  createDirectorContext,
  directorGuards,
  directorTick,
} from './battle-director.impl.js';
import type { CompiledPack } from './compiled-pack.js';
import { enterMode } from './pacing.js';
import type { Directive } from './vocabulary.js';
import type { WorldState } from './world-state.js';

/** Wiring only: pacing modes and what a tick does; behaviour lives in battle-director.impl.ts. */
export const battleDirectorMachine = setup({
  types: {
    context: {} as BattleDirectorContext,
    events: {} as BattleDirectorEvent,
    input: {} as { pack: CompiledPack; scene: WorldState },
    emitted: {} as { type: 'battle.directives'; directives: Directive[] },
  },
  guards: directorGuards,
  actions: {
    tick: ({ context, event }) => {
      if (event.type === 'battle.tick') directorTick(context, event.scene);
    },
    enterMode: ({ context }, params: { mode: PacingModeName }) => enterMode(context.pacing, params.mode),
    /** Side effect: replace with `.provide()` to deliver `context.outbox`; by default it is emitted. */
    issueDirectives: emit(({ context }) => ({ type: 'battle.directives' as const, directives: context.outbox })),
  },
}).createMachine({
  id: 'battleDirector',
  context: ({ input }) => createDirectorContext(input.pack, input.scene),
  initial: 'buildUp',
  on: {
    'battle.tick': { actions: ['tick', 'issueDirectives'] },
    'battle.resolved': { target: '.done' },
  },
  states: {
    buildUp: {
      entry: { type: 'enterMode', params: { mode: 'buildUp' } },
      always: { guard: 'intensityAtPeak', target: 'sustainPeak' },
    },
    sustainPeak: {
      entry: { type: 'enterMode', params: { mode: 'sustainPeak' } },
      always: { guard: 'peakHeldLongEnough', target: 'peakFade' },
    },
    peakFade: {
      entry: { type: 'enterMode', params: { mode: 'peakFade' } },
      always: { guard: 'intensityFaded', target: 'relax' },
    },
    relax: {
      entry: { type: 'enterMode', params: { mode: 'relax' } },
      always: { guard: 'relaxOver', target: 'buildUp' },
    },
    done: { type: 'final' },
  },
});
