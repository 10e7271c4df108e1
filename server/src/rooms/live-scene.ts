import type {
  ActionProposal,
  ControlAction,
  DirectorStatus,
  ServerMessage,
  Verdict,
  WorldReport,
} from '@stagecraft/protocol';
import type { Logger } from 'pino';
import type { CompiledPack } from '../direction/compiled-pack.js';
import type { CastVoices } from '../engines/tts/cast-voices.js';
import type { VoiceMetrics } from '../engines/tts/voice-metrics.js';
import type { SceneDefinition } from '../scenes/scene-definition.js';
import type { MediaMessage } from './media-fanout.js';
import type { PlayerScope } from './permissions.js';
import { SceneClock } from './scene-clock.js';
import type { SceneContext } from './scene-context.js';
import { type DialogueServices, SceneDialogue } from './scene-dialogue.js';
import { SceneDirector } from './scene-director.js';
import type { SceneMetrics } from './scene-metrics.js';
import { ScenePerformances } from './scene-performances.js';
import type { ResumePoint } from './scene-resume.js';
import { type SceneChange, SceneState } from './scene-state.js';
import { openVerdict, proposalFromWire, verdictToWire, worldReportFromWire } from './wire/direction.js';
import type { OpusSettings } from './wire/opus-audio.js';
import type { SayOptions } from './wire/say.js';

/** Where a live scene's messages and events go: the room's clients and the scene's event log. */
export interface SceneOutlet {
  broadcast(body: ServerMessage['body']): void;
  media(message: MediaMessage): void;
  wantsOpus(npcId: string): boolean;
  record(kind: string, payload: unknown): void;
  /** Resolves once the recorded events are stored durably. */
  flush(): Promise<void>;
  log: Logger;
}

export interface LiveSceneOptions {
  sceneId: string;
  definition: SceneDefinition;
  /** The scene's constraint pack; without one every proposal is allowed. */
  pack?: CompiledPack;
  /** Where a scene suspended by a server stop picks up again. */
  resume?: ResumePoint;
  voices: CastVoices;
  voiceMetrics: VoiceMetrics;
  /** Verdict and director-tick times; none recorded without it. */
  sceneMetrics?: SceneMetrics;
  /** Face frames per second of every performance; 0 sends no face stream. */
  faceFps: number;
  /** How Opus is encoded for the clients that ask for it. */
  opus?: OpusSettings;
  /** Makes performance ids; random UUIDs by default. */
  performanceIds?: () => string;
  /** NPC replies to player lines; without it player lines are only transcribed. */
  dialogue?: DialogueServices;
}

/**
 * One scene while it is live: its state and clock, its performances, director and dialogue, and
 * what the scene as a whole does (judge, pause, stop, close). It is the context its parts share.
 */
export class LiveScene implements SceneContext, PlayerScope {
  readonly sceneId: string;
  readonly state: SceneState;
  readonly playerActs: boolean;
  readonly playerId: string;
  readonly performances: ScenePerformances;
  private readonly clock: SceneClock;
  private director: SceneDirector | undefined;
  private dialogue: SceneDialogue | undefined;
  private readonly metrics: SceneMetrics | undefined;

  private constructor(
    private readonly outlet: SceneOutlet,
    options: LiveSceneOptions,
  ) {
    const { definition } = options;
    this.sceneId = options.sceneId;
    this.metrics = options.sceneMetrics;
    this.playerActs = definition.playerActs === true;
    this.playerId = options.pack?.playerId ?? 'player';
    this.clock = new SceneClock(options.resume?.clockMs ?? 0);
    this.state = new SceneState(options.sceneId, definition.title ?? definition.id, definition, () => this.clock.ms);
    const cast = new Map(definition.cast.map((c) => [c.id, c]));
    this.performances = new ScenePerformances(this, cast, options.voices, {
      metrics: options.voiceMetrics,
      faceFps: options.faceFps,
      ...(options.opus ? { opus: options.opus } : {}),
      ...(options.performanceIds ? { newId: options.performanceIds } : {}),
    });
    if (options.dialogue)
      this.dialogue = new SceneDialogue(this, options.dialogue, definition, options.pack, this.performances);
  }

  /** Opens the scene: its director from its pack (resumed when it was suspended), its dialogue primed. */
  static async open(outlet: SceneOutlet, options: LiveSceneOptions): Promise<LiveScene> {
    const scene = new LiveScene(outlet, options);
    scene.dialogue?.prime();
    if (options.pack) {
      const speaksLines = options.pack.speakLines !== false && options.definition.speakLines !== false;
      const directorOptions = speaksLines
        ? { speak: (npcId: string, line: string) => scene.speakLine(npcId, line) }
        : {};
      try {
        scene.director = await SceneDirector.open(scene, options.pack, options.resume, directorOptions);
      } catch (e) {
        if (!options.resume) throw e;
        outlet.log.error({ err: e }, 'could not restore the director; starting it afresh');
        scene.record('director.restore_failed', { message: (e as Error).message });
        scene.director = await SceneDirector.open(scene, options.pack, undefined, directorOptions);
      }
      const phase = scene.director.phase;
      scene.change({ director: scene.director.status(), ...(phase ? { phase } : {}) });
    }
    return scene;
  }

  get log(): Logger {
    return this.outlet.log;
  }

  get hasDirector(): boolean {
    return this.director !== undefined;
  }

  get directorStatus(): DirectorStatus | undefined {
    return this.director?.status();
  }

  clockMs(): number {
    return this.clock.ms;
  }

  change(change: SceneChange): void {
    const delta = this.state.apply(change);
    if (!delta) return;
    this.broadcast({ case: 'delta', value: delta });
    this.record('delta', delta);
  }

  broadcast(body: ServerMessage['body']): void {
    this.outlet.broadcast(body);
  }

  media(message: MediaMessage): void {
    this.outlet.media(message);
  }

  wantsOpus(npcId: string): boolean {
    return this.outlet.wantsOpus(npcId);
  }

  record(kind: string, payload: unknown): void {
    this.outlet.record(kind, payload);
  }

  flush(): Promise<void> {
    return this.outlet.flush();
  }

  /** A directive's line, spoken by its NPC with its voice and face; a line that cannot be is logged. */
  private speakLine(npcId: string, line: string): void {
    try {
      this.performances.say(npcId, line, {});
    } catch (err) {
      this.log.warn({ err, npcId }, 'directive line not spoken');
    }
  }

  /** The verdict on a proposed action: the constraint pack's, or allowed without one. */
  judge(proposal: ActionProposal): Verdict {
    if (!this.director) return openVerdict(proposal);
    const start = performance.now();
    const verdict = verdictToWire(this.director.judge(proposalFromWire(proposal)));
    this.metrics?.verdictMs.observe(performance.now() - start);
    return verdict;
  }

  /** Hands a world report to the director; a scene without a constraint pack ignores it. */
  report(report: WorldReport): void {
    this.director?.report(worldReportFromWire(report, this.clock.ms));
  }

  /** Speaks a line as `npcId` to every client; returns the performance id. Throws ClientMessageError. */
  say(npcId: string, text: string, options: SayOptions = {}): string {
    return this.performances.say(npcId, text, options);
  }

  /** Pauses, resumes or stops one performance, or an NPC's current one. Throws ClientMessageError. */
  control(action: ControlAction, target: { npcId?: string; performanceId?: string }): void {
    this.performances.control(action, target);
  }

  /**
   * The NPC answers a player's line; resolves with the reply's performance id (whose start
   * carries `requestId`), or '' in a scene without dialogue.
   */
  respond(npcId: string, playerId: string, text: string, requestId = ''): Promise<string> {
    if (!this.dialogue) return Promise.resolve('');
    return this.dialogue.reply(npcId, playerId, text, requestId);
  }

  /** A player joined: the NPCs it has talked to read their prompts with what they remember of it. */
  playerJoined(playerId: string): void {
    this.dialogue?.joined(playerId);
  }

  /** Pauses or resumes the whole scene: its clock, director and every line. */
  setPaused(paused: boolean): void {
    if (paused) {
      this.clock.pause();
      this.director?.pause();
      this.performances.pauseAll();
    } else {
      this.clock.resume();
      this.director?.resume();
      this.performances.resumeAll();
    }
    // One delta: the pause and the director's status with it.
    this.change({ paused, ...this.director?.statusChange(true) });
  }

  /** Stops every line (`force`: the non-interruptible ones too) and waits for their ends. */
  stopAll(force: boolean): Promise<void> {
    return this.performances.stopAll(force);
  }

  /** Resolves once everything the director has decided has gone out. */
  settled(): Promise<void> {
    return this.director?.settled() ?? Promise.resolve();
  }

  /** Moves the director to the scene clock; the room calls it on its tick. */
  tick(): void {
    if (this.state.isPaused || !this.director) return;
    const start = performance.now();
    this.director.tick();
    this.metrics?.directorTickMs.observe(performance.now() - start);
  }

  /** Ends the scene: every line stops, the director's last snapshot is written, then it stops. */
  async close(): Promise<void> {
    await this.director?.settled();
    await this.performances.stopAll(true);
    this.dialogue?.close();
    this.director?.snapshot();
    this.director?.stop();
  }
}
