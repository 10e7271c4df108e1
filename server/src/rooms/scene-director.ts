import type { CastMember, DirectorStatus } from '@stagecraft/protocol';
import { type Actor, createActor, fromPromise, waitFor } from 'xstate';
import type { BattleDirectorContext } from '../direction/battle-director.impl.js';
import type { CompiledPack } from '../direction/compiled-pack.js';
import { judgeAndBook } from '../direction/judge.js';
import { sceneControllerMachine } from '../direction/scene-controller.machine.js';
import { persistScene, restoreScene } from '../direction/scene-persistence.js';
import { nextDeadlineAtMs, type TimelineEvent } from '../direction/timeline.js';
import type { Directive, Proposal, Verdict } from '../direction/vocabulary.js';
import type { WorldReport } from '../direction/world-state.js';
import type { SceneContext } from './scene-context.js';
import { DIRECTOR_SNAPSHOT, type ResumePoint } from './scene-resume.js';
import { directiveToWire, directorStatusToWire, withDirective } from './wire/direction.js';

type SceneMachine = typeof sceneControllerMachine;

/** Director status goes out at most this often, ms, unless the scene resolves. */
export const STATUS_INTERVAL_MS = 500;
/** A director snapshot is written to the event log this often, ms. */
export const SNAPSHOT_INTERVAL_MS = 5000;

export interface DirectorOptions {
  /** Speaks a directive's line as its NPC; without it the game voices lines itself. */
  speak?(npcId: string, line: string): void;
}

/** What the machines did in one step, in order, with the directive ids given to them. */
type Happening =
  | { kind: 'directives'; directives: Directive[]; ids: string[] }
  | { kind: 'timeline'; events: TimelineEvent[] };

/**
 * The director of one scene with a constraint pack. Verdicts are the constraint engine's,
 * called directly on the scene's world; the SceneController machine (and its BattleDirector)
 * owns the lifecycle: phases, deadlines, pacing, directives, resolution. This binds both to the
 * scene: status deltas, directives, lines and phases to the clients, snapshots to the event log.
 * What must never happen twice (a phase entered, a once-only line, the resolution) is written to
 * the event log, durably, before the clients hear of it, so a restart resumes past it.
 */
export class SceneDirector {
  private counts = { verdicts: 0, rewrites: 0, vetoes: 0 };
  private directiveCount = 0;
  /** How many times this scene was restored; directive ids carry it, so none repeats. */
  private lives = 0;
  private lastStatus = '';
  private lastStatusAt = Number.NEGATIVE_INFINITY;
  private lastSnapshotAt = 0;
  private actor!: Actor<SceneMachine>;
  private inbox: Happening[] = [];
  /** The last durable write and what waits for it; acting keeps its order behind it. */
  private queue: Promise<void> = Promise.resolve();
  private waiting = 0;

  private constructor(
    private readonly ctx: SceneContext,
    readonly pack: CompiledPack,
    private readonly options: DirectorOptions,
  ) {}

  /** Starts the director of `pack`, or restores it from the resume point of a suspended scene. */
  static async open(
    ctx: SceneContext,
    pack: CompiledPack,
    resume?: ResumePoint,
    options: DirectorOptions = {},
  ): Promise<SceneDirector> {
    const director = new SceneDirector(ctx, pack, options);
    const machine = sceneControllerMachine.provide({ actors: { loadPack: fromPromise(async () => pack) } });
    const listen = (actor: Actor<SceneMachine>) => {
      actor.on('scene.directives', (e) => director.take({ kind: 'directives', directives: e.directives, ids: [] }));
      actor.on('scene.timeline', (e) => director.take({ kind: 'timeline', events: e.events }));
    };
    if (resume) {
      director.counts = { ...director.counts, ...resume.counts };
      director.lives = (resume.lives ?? 0) + 1;
      director.actor = restoreScene(machine, resume.director, resume.clockMs, {}, listen);
      // The new life is on record before any of its directives goes out.
      director.snapshot();
      await ctx.flush().catch((err: unknown) => ctx.log.warn({ err }, 'director restore not written yet'));
    } else {
      director.actor = createActor(machine);
      listen(director.actor);
      director.actor.start();
      director.actor.send({ type: 'scene.load', packRef: pack.file });
      await waitFor(director.actor, (s) => !s.matches('loading'), { timeout: 5000 });
    }
    director.deliver();
    director.lastSnapshotAt = ctx.clockMs();
    return director;
  }

  /** Judges a proposed action against the pack, synchronously, and books what it lets through. */
  judge(proposal: Proposal): Verdict {
    const world = this.actor.getSnapshot().context.scene;
    const verdict: Verdict = world
      ? judgeAndBook(this.pack, world, proposal)
      : { proposalId: proposal.proposalId, decision: 'allow', ruleId: '', reason: 'the constraint pack did not load' };
    this.counts.verdicts++;
    if (verdict.decision === 'rewrite') this.counts.rewrites++;
    if (verdict.decision === 'veto') this.counts.vetoes++;
    this.publishStatus(false);
    return verdict;
  }

  report(report: WorldReport): void {
    this.send({ type: 'scene.worldReported', report });
    this.publishStatus(false);
  }

  /** Moves the director to the scene clock; called on the room's tick while not paused. */
  tick(): void {
    const now = this.ctx.clockMs();
    this.send({ type: 'scene.tick', nowMs: now });
    this.publishStatus(false);
    if (now - this.lastSnapshotAt >= SNAPSHOT_INTERVAL_MS) this.snapshot();
  }

  /** Pauses the director; the scene sends its status with the pause, in one delta (`statusChange`). */
  pause(): void {
    this.send({ type: 'scene.pause' });
  }

  resume(): void {
    this.send({ type: 'scene.resume', nowMs: this.ctx.clockMs() });
  }

  /** The current phase id from the pack's timeline, if it has phases. */
  get phase(): string | undefined {
    const world = this.actor.getSnapshot().context.scene;
    return world ? this.pack.timing.phases[world.phaseIndex]?.id : undefined;
  }

  status(): DirectorStatus {
    const snap = this.actor.getSnapshot();
    const world = snap.context.scene;
    const battle = (snap.children.director?.getSnapshot() as { context?: BattleDirectorContext } | undefined)?.context;
    return directorStatusToWire({
      packId: this.pack.id,
      paused: snap.matches({ active: 'paused' }),
      resolution: world?.resolution ?? undefined,
      pacing: battle?.pacing,
      counts: this.counts,
      nextDeadlineMs: world ? nextDeadlineAtMs(world) : null,
    });
  }

  /** Writes the director's snapshot to the event log, so a restarted server resumes from it. */
  snapshot(): void {
    const clockMs = Math.floor(this.ctx.clockMs());
    this.lastSnapshotAt = clockMs;
    const point: ResumePoint = {
      clockMs,
      director: persistScene(this.actor),
      phase: this.phase ?? '',
      counts: { ...this.counts },
      directives: this.directiveCount,
      lives: this.lives,
    };
    this.ctx.record(DIRECTOR_SNAPSHOT, point);
  }

  /** Resolves once everything the director decided has gone out. */
  settled(): Promise<void> {
    return this.queue;
  }

  stop(): void {
    this.actor.stop();
  }

  /**
   * The status to send, when it changed since the last one sent (and, unless `force`, when the
   * last one is STATUS_INTERVAL_MS old): the caller puts it in a delta.
   */
  statusChange(force: boolean): { director: DirectorStatus } | undefined {
    const now = this.ctx.clockMs();
    if (!force && now - this.lastStatusAt < STATUS_INTERVAL_MS) return undefined;
    const status = this.status();
    const key = JSON.stringify({ ...status, $typeName: undefined });
    if (key === this.lastStatus) return undefined;
    this.lastStatus = key;
    this.lastStatusAt = now;
    return { director: status };
  }

  private send(event: Parameters<Actor<SceneMachine>['send']>[0]): void {
    this.actor.send(event);
    this.deliver();
  }

  private take(h: Happening): void {
    if (h.kind === 'directives')
      for (const _ of h.directives) {
        this.directiveCount += 1;
        const life = this.lives > 0 ? `r${this.lives}-` : '';
        h.ids.push(`${this.ctx.sceneId}-${life}d${this.directiveCount}`);
      }
    this.inbox.push(h);
  }

  /** Acts on what the last step did: at once, or once what must not repeat is durable. */
  private deliver(): void {
    if (this.inbox.length === 0) return;
    const happened = this.inbox.splice(0);
    for (const h of happened) this.recordHappening(h);
    const durable = happened.some((h) =>
      h.kind === 'timeline' ? h.events.length > 0 : h.directives.some((d) => d.say !== undefined),
    );
    if (!durable && this.waiting === 0) {
      this.act(happened);
      return;
    }
    // The state after this step, ids and counts included, is on record before anyone hears it.
    if (durable) this.snapshot();
    this.waiting++;
    const written = durable ? this.ctx.flush() : Promise.resolve();
    this.queue = this.queue
      .then(() => written)
      .catch((err: unknown) => this.ctx.log.warn({ err }, 'director events not written yet; acting on them'))
      .then(() => {
        this.waiting--;
        this.act(happened);
      });
  }

  /** The event log's account of a step, written before anything of it is acted on. */
  private recordHappening(h: Happening): void {
    if (h.kind === 'directives') {
      if (h.directives.length > 0) this.ctx.record('directives', h.directives);
      return;
    }
    for (const e of h.events) {
      if (e.kind === 'phaseEntered') this.ctx.record('phase.entered', e);
      else this.ctx.record('scene.resolved', e.resolution);
    }
  }

  private act(happened: Happening[]): void {
    for (const h of happened) {
      if (h.kind === 'directives') this.onDirectives(h.directives, h.ids);
      else this.onTimeline(h.events);
    }
  }

  private onDirectives(directives: Directive[], ids: string[]): void {
    if (directives.length === 0) return;
    const cast = new Map<string, CastMember>();
    directives.forEach((d, i) => {
      const wire = directiveToWire(d, ids[i] ?? '');
      this.ctx.broadcast({ case: 'directive', value: wire });
      const member = cast.get(d.npcId) ?? this.ctx.state.member(d.npcId);
      if (member) cast.set(d.npcId, withDirective(member, wire));
    });
    // Late joiners learn each NPC's current directive from its cast member.
    if (cast.size > 0) this.ctx.change({ castUpserts: [...cast.values()] });
    for (const d of directives) if (d.say !== undefined) this.options.speak?.(d.npcId, d.say);
  }

  private onTimeline(events: TimelineEvent[]): void {
    for (const e of events) {
      if (e.kind === 'phaseEntered') this.ctx.change({ phase: e.phase });
      else this.publishStatus(true);
    }
  }

  private publishStatus(force: boolean): void {
    const change = this.statusChange(force);
    if (change) this.ctx.change(change);
  }
}
