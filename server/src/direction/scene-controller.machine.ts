import { assign, emit, fromPromise, sendParent, sendTo, setup } from 'xstate';
import { battleDirectorMachine } from './battle-director.machine.js';
import type { CompiledPack } from './compiled-pack.js';
import {
  applyReport,
  initialContext,
  isResolved,
  moveClock,
  msUntilDeadline,
  reachDeadline,
  runTimeline,
  type SceneControllerContext,
  type SceneControllerEvent,
  startScene,
} from './scene-controller.impl.js';
import type { TimelineEvent } from './timeline.js';
import type { Directive } from './vocabulary.js';

export type SceneControllerEmitted =
  | { type: 'scene.directives'; directives: Directive[] }
  | { type: 'scene.timeline'; events: TimelineEvent[] };

/**
 * Wiring only (behaviour in scene-controller.impl.ts): the scene's lifecycle (its pack, phases,
 * deadlines, pause, resolution) and its battle director. Verdicts do not pass through here: the
 * constraint engine is pure and is called directly (judge.ts). Side effects come in through
 * `.provide()`: `loadPack` (an actor resolving a pack reference to a CompiledPack) and the
 * `deliver*` actions, which by default emit events for `actor.on(...)`.
 */
export const sceneControllerMachine = setup({
  types: {
    context: {} as SceneControllerContext,
    events: {} as SceneControllerEvent,
    emitted: {} as SceneControllerEmitted,
  },
  actors: {
    loadPack: fromPromise<CompiledPack, { packRef: string }>(async () => {
      throw new Error('provide a loadPack actor');
    }),
    battleDirector: battleDirectorMachine.provide({
      actions: {
        issueDirectives: sendParent(({ context }) => ({ type: 'scene.directivesIssued', directives: context.outbox })),
      },
    }),
  },
  guards: {
    resolved: ({ context }) => isResolved(context),
    hasTimelineEvents: ({ context }) => context.timeline.length > 0,
  },
  delays: {
    untilDeadline: ({ context }) => msUntilDeadline(context),
  },
  actions: {
    rememberPackRef: assign({ packRef: ({ event }) => (event.type === 'scene.load' ? event.packRef : null) }),
    startScene: assign(({ event }, params: { startMs: number }) =>
      startScene((event as unknown as { output: CompiledPack }).output, params.startMs),
    ),
    recordLoadError: assign({ loadError: ({ event }) => String((event as unknown as { error: unknown }).error) }),
    moveClock: assign(({ context, event }) => ('nowMs' in event ? moveClock(context, event.nowMs) : {})),
    reachDeadline: assign(({ context }) => reachDeadline(context)),
    runTimeline: assign(({ context }) => runTimeline(context)),
    applyReport: ({ context, event }) => {
      if (event.type === 'scene.worldReported') applyReport(context, event.report);
    },
    tickDirector: sendTo('director', ({ context }) => ({
      type: 'battle.tick' as const,
      scene: context.scene as never,
    })),
    deliverDirectives: emit(({ event }) => ({
      type: 'scene.directives' as const,
      directives: event.type === 'scene.directivesIssued' ? event.directives : [],
    })),
    deliverTimeline: emit(({ context }) => ({ type: 'scene.timeline' as const, events: context.timeline })),
  },
}).createMachine({
  id: 'sceneController',
  context: initialContext,
  initial: 'setup',
  states: {
    setup: {
      on: { 'scene.load': { target: 'loading', actions: 'rememberPackRef' } },
    },
    loading: {
      invoke: {
        id: 'loader',
        src: 'loadPack',
        input: ({ context }) => ({ packRef: context.packRef ?? '' }),
        onDone: { target: 'active', actions: { type: 'startScene', params: { startMs: 0 } } },
        onError: { target: 'setup', actions: 'recordLoadError' },
      },
    },
    active: {
      invoke: {
        id: 'director',
        src: 'battleDirector',
        input: ({ context }) => ({ pack: context.pack as CompiledPack, scene: context.scene as never }),
      },
      initial: 'phase',
      always: { guard: 'resolved', target: 'resolution' },
      on: {
        'scene.worldReported': { actions: ['applyReport', 'runTimeline', 'deliverTimeline'] },
        'scene.directivesIssued': { actions: 'deliverDirectives' },
      },
      states: {
        phase: {
          after: {
            untilDeadline: {
              target: 'phase',
              reenter: true,
              actions: ['reachDeadline', 'runTimeline', 'deliverTimeline'],
            },
          },
          on: {
            'scene.tick': {
              target: 'phase',
              reenter: true,
              actions: ['moveClock', 'runTimeline', 'deliverTimeline', 'tickDirector'],
            },
            'scene.restored': {
              target: 'phase',
              reenter: true,
              actions: ['moveClock', 'runTimeline', 'deliverTimeline'],
            },
            'scene.pause': { target: 'paused' },
          },
        },
        paused: {
          on: {
            'scene.resume': { target: 'phase', actions: 'moveClock' },
            'scene.restored': { target: 'paused' },
          },
        },
      },
    },
    resolution: { type: 'final' },
  },
});
