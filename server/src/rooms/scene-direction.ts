import type { ActionProposal, DirectorStatus, ServerMessage, Verdict, WorldReport } from '@stagecraft/protocol';
import type { CompiledPack } from '../direction/compiled-pack.js';
import type { TimelineEvent } from '../direction/timeline.js';
import type { Directive } from '../direction/vocabulary.js';
import { directiveToWire, worldReportFromWire } from './direction-wire.js';
import { SceneDirector } from './scene-director.js';
import { DIRECTOR_SNAPSHOT, type ResumePoint } from './scene-resume.js';
import type { ProposalJudge } from './scene-services.js';
import type { SceneChange } from './scene-state.js';

/** What the direction of a scene may do to its room. */
export interface DirectionHooks {
  change(change: SceneChange): void;
  broadcast(body: ServerMessage['body']): void;
  record(kind: string, payload: unknown): void;
  clockMs(): number;
}

/** Director status goes out at most this often, ms, unless the scene resolves. */
export const STATUS_INTERVAL_MS = 500;
/** A director snapshot is written to the event log this often, ms. */
export const SNAPSHOT_INTERVAL_MS = 5000;

/** Binds a scene's director to its room: ticks, directives, phases, status deltas and snapshots. */
export class SceneDirection implements ProposalJudge {
  private director!: SceneDirector;
  private directiveCount = 0;
  private lastStatus = '';
  private lastStatusAt = Number.NEGATIVE_INFINITY;
  private lastSnapshotAt = 0;

  private constructor(
    private readonly sceneId: string,
    private readonly hooks: DirectionHooks,
  ) {}

  static async open(sceneId: string, pack: CompiledPack, hooks: DirectionHooks, resume?: ResumePoint) {
    const direction = new SceneDirection(sceneId, hooks);
    const outlets = {
      directives: (d: Directive[]) => direction.onDirectives(d),
      timeline: (e: TimelineEvent[]) => direction.onTimeline(e),
    };
    direction.director = await SceneDirector.start(
      pack,
      outlets,
      resume ? { persisted: resume.director, nowMs: resume.clockMs } : undefined,
    );
    direction.lastSnapshotAt = hooks.clockMs();
    return direction;
  }

  get phase(): string | undefined {
    return this.director.phase;
  }

  status(): DirectorStatus {
    return this.director.status();
  }

  judge(proposal: ActionProposal): Verdict {
    const verdict = this.director.judge(proposal);
    this.publishStatus(false);
    return verdict;
  }

  report(report: WorldReport): void {
    this.director.report(worldReportFromWire(report, this.hooks.clockMs()));
    this.publishStatus(false);
  }

  /** Moves the director to the scene clock; called on the room's tick while not paused. */
  tick(): void {
    const now = this.hooks.clockMs();
    this.director.tick(now);
    this.publishStatus(false);
    if (now - this.lastSnapshotAt >= SNAPSHOT_INTERVAL_MS) this.snapshot();
  }

  pause(): void {
    this.director.pause();
    this.publishStatus(true);
  }

  resume(): void {
    this.director.resume(this.hooks.clockMs());
    this.publishStatus(true);
  }

  /** Writes the director's snapshot to the event log, so a restarted server resumes from it. */
  snapshot(): void {
    const clockMs = Math.floor(this.hooks.clockMs());
    this.lastSnapshotAt = clockMs;
    const point: ResumePoint = { clockMs, director: this.director.persist(), phase: this.director.phase ?? '' };
    this.hooks.record(DIRECTOR_SNAPSHOT, point);
  }

  stop(): void {
    this.director.stop();
  }

  private onDirectives(directives: Directive[]): void {
    for (const d of directives) {
      this.directiveCount += 1;
      const wire = directiveToWire(d, `${this.sceneId}-d${this.directiveCount}`);
      this.hooks.broadcast({ case: 'directive', value: wire });
    }
    if (directives.length > 0) this.hooks.record('directives', directives);
  }

  private onTimeline(events: TimelineEvent[]): void {
    for (const e of events) {
      if (e.kind === 'phaseEntered') {
        this.hooks.change({ phase: e.phase });
        this.hooks.record('phase.entered', e);
      } else {
        this.hooks.record('scene.resolved', e.resolution);
        queueMicrotask(() => this.publishStatus(true));
      }
    }
  }

  private publishStatus(force: boolean): void {
    const now = this.hooks.clockMs();
    if (!force && now - this.lastStatusAt < STATUS_INTERVAL_MS) return;
    const status = this.director.status();
    const key = JSON.stringify({ ...status, $typeName: undefined });
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    this.lastStatusAt = now;
    this.hooks.change({ director: status });
  }
}
