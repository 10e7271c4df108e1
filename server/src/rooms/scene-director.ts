import {
  type ActionProposal,
  create,
  DirectorMode,
  type DirectorStatus,
  DirectorStatusSchema,
  type Verdict,
} from '@stagecraft/protocol';
import { type Actor, createActor, fromPromise, waitFor } from 'xstate';
import type { BattleDirectorContext } from '../direction/battle-director.impl.js';
import type { CompiledPack } from '../direction/compiled-pack.js';
import { sceneControllerMachine } from '../direction/scene-controller.machine.js';
import { persistScene, restoreScene } from '../direction/scene-persistence.js';
import { nextDeadlineAtMs, type TimelineEvent } from '../direction/timeline.js';
import type { Verdict as DirectionVerdict, Directive } from '../direction/vocabulary.js';
import type { WorldReport } from '../direction/world-state.js';
import { proposalFromWire, verdictToWire } from './direction-wire.js';
import type { ProposalJudge } from './scene-services.js';

type SceneMachine = typeof sceneControllerMachine;

/** Where a scene's director delivers what it decides. */
export interface DirectorOutlets {
  directives(directives: Directive[]): void;
  timeline(events: TimelineEvent[]): void;
}

/**
 * A live scene's SceneController (and its BattleDirector) behind the room's judge
 * interface. Verdicts are synchronous: sending a proposal runs the engine inside `send`.
 */
export class SceneDirector implements ProposalJudge {
  private lastVerdict: DirectionVerdict | null = null;
  private readonly counts = { verdicts: 0, rewrites: 0, vetoes: 0 };

  private constructor(
    private readonly actor: Actor<SceneMachine>,
    readonly pack: CompiledPack,
  ) {}

  /** Starts a director for `pack`, or restores one from a persisted snapshot at scene clock `nowMs`. */
  static async start(pack: CompiledPack, outlets: DirectorOutlets, restore?: { persisted: unknown; nowMs: number }) {
    const machine = sceneControllerMachine.provide({ actors: { loadPack: fromPromise(async () => pack) } });
    let director: SceneDirector | undefined;
    const listen = (actor: Actor<SceneMachine>) => {
      actor.on('scene.verdict', (e) => {
        if (director) director.lastVerdict = e.verdict;
      });
      actor.on('scene.directives', (e) => outlets.directives(e.directives));
      actor.on('scene.timeline', (e) => outlets.timeline(e.events));
    };
    let actor: Actor<SceneMachine>;
    if (restore) {
      actor = restoreScene(machine, restore.persisted, restore.nowMs);
      listen(actor);
    } else {
      actor = createActor(machine);
      listen(actor);
      actor.start();
      actor.send({ type: 'scene.load', packRef: pack.file });
      await waitFor(actor, (s) => !s.matches('loading'), { timeout: 5000 });
    }
    director = new SceneDirector(actor, pack);
    return director;
  }

  judge(proposal: ActionProposal): Verdict {
    this.lastVerdict = null;
    this.actor.send({ type: 'scene.actionProposed', proposal: proposalFromWire(proposal) });
    const verdict: DirectionVerdict = this.lastVerdict ?? {
      proposalId: proposal.proposalId,
      decision: 'allow',
      ruleId: '',
      reason: this.resolved ? 'the scene is resolved; no constraint applies' : 'no constraint applies',
    };
    this.counts.verdicts++;
    if (verdict.decision === 'rewrite') this.counts.rewrites++;
    if (verdict.decision === 'veto') this.counts.vetoes++;
    return verdictToWire(verdict);
  }

  report(report: WorldReport): void {
    this.actor.send({ type: 'scene.worldReported', report });
  }

  tick(nowMs: number): void {
    this.actor.send({ type: 'scene.tick', nowMs });
  }

  pause(): void {
    this.actor.send({ type: 'scene.pause' });
  }

  resume(nowMs: number): void {
    this.actor.send({ type: 'scene.resume', nowMs });
  }

  get resolved(): boolean {
    return this.actor.getSnapshot().status === 'done';
  }

  /** The current phase id from the pack's timeline, if it has phases. */
  get phase(): string | undefined {
    const scene = this.actor.getSnapshot().context.scene;
    return scene ? this.pack.timing.phases[scene.phaseIndex]?.id : undefined;
  }

  status(): DirectorStatus {
    const snap = this.actor.getSnapshot();
    const scene = snap.context.scene;
    const battle = (snap.children.director?.getSnapshot() as { context?: BattleDirectorContext } | undefined)?.context;
    const resolution = scene?.resolution;
    const deadline = scene ? nextDeadlineAtMs(scene) : null;
    return create(DirectorStatusSchema, {
      mode: resolution
        ? DirectorMode.RESOLVED
        : snap.matches({ active: 'paused' })
          ? DirectorMode.PAUSED
          : DirectorMode.ACTIVE,
      packId: this.pack.id,
      intensity: battle ? Math.round(battle.pacing.intensity * 100) / 100 : 0,
      pacing: battle?.pacing.mode ?? '',
      ...this.counts,
      outcome: resolution?.outcome ?? '',
      resolvedBy: resolution?.ruleId ?? '',
      nextDeadlineMs: deadline === null ? 0 : Math.floor(deadline),
    });
  }

  /** Plain JSON for the event log; `start(pack, outlets, { persisted, nowMs })` restores it. */
  persist(): unknown {
    return persistScene(this.actor);
  }

  stop(): void {
    this.actor.stop();
  }
}
