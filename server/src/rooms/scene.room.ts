import { type Client, ErrorCode as MatchErrorCode, matchMaker, Room, ServerError } from '@colyseus/core';
import {
  CastMemberSchema,
  type ClientMessage,
  create,
  ErrorCode,
  ErrorSchema,
  encodeServerMessage,
  MessageType,
  type ServerMessage,
} from '@stagecraft/protocol';
import type { Logger } from 'pino';
import { didYouMean } from '../common/near-miss.js';
import { type CastDefinition, type SceneDefinition, validateSceneDefinition } from '../scenes/scene-definition.js';
import { ClientMessageError } from './client-error.js';
import { handleClientMessage, type SceneEffects, type Sender } from './client-messages.js';
import { type JoinOptions, parseJoinOptions } from './join-options.js';
import { decodeOrReport, sourceErrorsAsServerErrors, toJsonSafe, withoutServices } from './room-helpers.js';
import { type SayOptions, sayOptionsFromWire } from './say-options.js';
import { SceneClock } from './scene-clock.js';
import { SceneDialogue } from './scene-dialogue.js';
import { SceneDirection } from './scene-direction.js';
import { ScenePerformances } from './scene-performances.js';
import type { ResumePoint } from './scene-resume.js';
import type { ProposalJudge, SceneServices } from './scene-services.js';
import { type SceneChange, SceneState } from './scene-state.js';

/** How often a scene's director moves to the scene clock, ms. */
const DIRECTOR_TICK_MS = 100;

interface CreateOptions extends Record<string, unknown> {
  services: SceneServices;
}

/** One live scene: a cast, a clock and every client that joined it. Media and state travel as protobuf bytes. */
export class SceneRoom extends Room {
  private services!: SceneServices;
  private scene!: SceneState;
  private log!: Logger;
  private sceneClock = new SceneClock();
  private readonly senders = new Map<string, Sender>();
  private direction: SceneDirection | undefined;
  private judge!: ProposalJudge;
  private performances!: ScenePerformances;
  private dialogue: SceneDialogue | undefined;

  override async onCreate(options: CreateOptions): Promise<void> {
    this.services = options.services;
    this.log = this.services.logger.child({ roomId: this.roomId });
    const join = parseJoinOptions(withoutServices(options));
    const definition = this.resolveDefinition(join);
    await this.refuseSecondRoom(join.sceneId);
    const resume = join.scene === undefined ? await this.services.resume.load(join.sceneId) : undefined;
    if (resume) this.sceneClock = new SceneClock(resume.clockMs);
    this.scene = new SceneState(join.sceneId, definition.title ?? definition.id, definition, () => this.sceneClock.ms);
    this.log = this.services.logger.child({ sceneId: join.sceneId, roomId: this.roomId });
    this.maxMessagesPerSecond = this.services.maxMessagesPerSecond;
    this.performances = this.createPerformances(definition.cast);
    const talk = this.services.dialogue;
    if (talk)
      this.dialogue = new SceneDialogue({
        ...talk,
        definition,
        pack: join.scene === undefined ? this.services.catalog.pack(join.sceneId) : undefined,
        scene: this.scene,
        performances: this.performances,
        record: (kind, payload) => this.record(kind, payload),
        log: this.log,
      });
    this.dialogue?.prime();
    await this.setMetadata({ sceneId: join.sceneId, title: this.scene.title });
    this.onMessageBytes(MessageType.CLIENT, (client: Client, bytes: Uint8Array) => this.onClientBytes(client, bytes));
    this.onMessage('*', (client: Client, type: string | number) => this.onUnknownType(client, type));
    await this.services.recorder.open(join.sceneId);
    await this.services.registry.upsert({ id: join.sceneId, title: this.scene.title, definition, status: 'live' });
    const inline = join.scene !== undefined;
    this.record('scene.created', {
      title: this.scene.title,
      cast: this.scene.castIds(),
      inline,
      resumedAtMs: resume?.clockMs,
    });
    await this.openDirection(join.sceneId, resume);
    const pack = this.direction?.status().packId;
    this.log.info({ cast: this.scene.castIds().length, pack, resumedAtMs: resume?.clockMs }, 'scene created');
  }

  private createPerformances(cast: CastDefinition[]): ScenePerformances {
    const defs = new Map(cast.map((c) => [c.id, c]));
    return new ScenePerformances(this.services.voices, this.services.voiceMetrics, {
      broadcast: (body) => this.broadcastBody(body),
      record: (kind, payload) => this.record(kind, payload),
      clockMs: () => this.sceneClock.ms,
      castVoice: (npcId) => {
        const def = defs.get(npcId);
        if (!def) return undefined;
        const v = def.voice;
        const voice =
          typeof v === 'string'
            ? { voice: v }
            : v && { voice: v.id, speed: v.speed, pitch: v.pitch, speakerId: v.speaker };
        return { voice, tier: def.tier ?? 'silver', expressiveness: def.expressiveness ?? 1 };
      },
      faceFps: this.services.faceFps,
      setSpeaking: (npcId, performanceId) => {
        const member = this.scene.member(npcId);
        if (!member) return;
        const speaking = create(CastMemberSchema, { ...member, speaking: performanceId !== '', performanceId });
        this.change({ castUpserts: [speaking] });
      },
      log: this.log,
    });
  }

  /** Speaks a line as `npcId` to every client of the scene; returns the performance id. */
  say(npcId: string, text: string, options: SayOptions = {}): string {
    return this.performances.say(npcId, text, options);
  }

  override onBeforeShutdown(): void {
    // Every line ends with PerformanceEnd(interrupted) before the clients are let go.
    this.performances.stopAll(true).finally(() => super.onBeforeShutdown());
  }

  private async openDirection(sceneId: string, resume: ResumePoint | undefined): Promise<void> {
    const pack = this.services.catalog.pack(sceneId);
    if (!pack) {
      this.judge = this.services.judge;
      return;
    }
    const hooks = {
      change: (change: SceneChange) => this.change(change),
      broadcast: (body: ServerMessage['body']) => this.broadcastBody(body),
      record: (kind: string, payload: unknown) => this.record(kind, payload),
      clockMs: () => this.sceneClock.ms,
    };
    try {
      this.direction = await SceneDirection.open(sceneId, pack, hooks, resume);
    } catch (e) {
      if (!resume) throw e;
      this.log.error({ err: e }, 'could not restore the director; starting it afresh');
      this.record('director.restore_failed', { message: (e as Error).message });
      this.direction = await SceneDirection.open(sceneId, pack, hooks);
    }
    this.judge = this.direction;
    const phase = this.direction.phase;
    this.change({ director: this.direction.status(), ...(phase ? { phase } : {}) });
    this.clock.setInterval(() => {
      if (!this.scene.isPaused) this.direction?.tick();
    }, DIRECTOR_TICK_MS);
  }

  override onJoin(client: Client, options: unknown): void {
    const join = parseJoinOptions(options);
    if (join.sceneId !== this.scene.sceneId) {
      throw new ServerError(MatchErrorCode.MATCHMAKE_INVALID_CRITERIA, `this room plays scene "${this.scene.sceneId}"`);
    }
    const auth = client.auth as { name?: string; role?: Sender['role'] } | undefined;
    const sender: Sender = {
      sessionId: client.sessionId,
      name: auth?.name ?? join.name ?? '',
      role: auth?.role ?? join.role,
    };
    this.senders.set(client.sessionId, sender);
    this.sendTo(client, { case: 'snapshot', value: this.scene.snapshot() });
    this.record('client.joined', { sessionId: client.sessionId, name: sender.name, role: sender.role });
  }

  override async onDrop(client: Client): Promise<void> {
    this.record('client.dropped', { sessionId: client.sessionId });
    await this.allowReconnection(client, this.services.reconnectSeconds);
  }

  override onReconnect(client: Client): void {
    this.record('client.reconnected', { sessionId: client.sessionId });
    this.sendTo(client, { case: 'snapshot', value: this.scene.snapshot() });
  }

  override onLeave(client: Client): void {
    this.senders.delete(client.sessionId);
    this.record('client.left', { sessionId: client.sessionId });
  }

  override async onDispose(): Promise<void> {
    if (!this.scene) return; // creation failed: nothing was started
    // A scene cut off by a server shutdown stays live, to resume when the server is back;
    // one that everybody left is over.
    const suspended = matchMaker.state === matchMaker.MatchMakerState.SHUTTING_DOWN && this.direction !== undefined;
    await this.performances.stopAll(true);
    this.dialogue?.close();
    this.direction?.snapshot();
    this.direction?.stop();
    this.record(suspended ? 'scene.suspended' : 'scene.closed', { clockMs: Math.floor(this.sceneClock.ms) });
    try {
      if (!suspended) await this.services.registry.setStatus(this.scene.sceneId, 'closed');
      await this.services.recorder.flush();
    } catch (e) {
      this.log.error({ err: e }, 'could not close the scene record');
    }
    this.log.info('scene closed');
  }

  /** One room per scene id: two would write one event log with clashing sequence numbers. */
  private async refuseSecondRoom(sceneId: string): Promise<void> {
    const rooms = await matchMaker.query({ name: this.roomName });
    const other = rooms.find(
      (r) => r.roomId !== this.roomId && (r.metadata as { sceneId?: string })?.sceneId === sceneId,
    );
    if (other) {
      const message = `scene "${sceneId}" is already live in room ${other.roomId}; join it instead of creating it`;
      throw new ServerError(MatchErrorCode.MATCHMAKE_INVALID_CRITERIA, message);
    }
  }

  private resolveDefinition(join: JoinOptions): SceneDefinition {
    if (join.scene !== undefined) {
      const definition = sourceErrorsAsServerErrors(() => validateSceneDefinition(join.scene));
      if (definition.id !== join.sceneId) {
        throw new ServerError(
          MatchErrorCode.MATCHMAKE_INVALID_CRITERIA,
          `scene.id "${definition.id}" differs from sceneId "${join.sceneId}"`,
        );
      }
      return definition;
    }
    const { catalog } = this.services;
    const found = catalog.get(join.sceneId);
    if (found) return found;
    const broken = catalog.problemFor(join.sceneId);
    if (broken) {
      throw new ServerError(MatchErrorCode.MATCHMAKE_INVALID_CRITERIA, broken.problems.join('\n'));
    }
    const ids = catalog.list().map((s) => s.scene.id);
    const hint = didYouMean(join.sceneId, ids);
    throw new ServerError(
      MatchErrorCode.MATCHMAKE_INVALID_CRITERIA,
      `unknown scene "${join.sceneId}"${hint ? ` (${hint})` : ''}; scene files: ${ids.join(', ') || 'none'}`,
    );
  }

  private onClientBytes(client: Client, bytes: Uint8Array): void {
    const sender = this.senders.get(client.sessionId);
    if (!sender) return;
    let msg: ClientMessage | undefined;
    try {
      msg = decodeOrReport(bytes);
      handleClientMessage(msg, sender, this.scene, this.effectsFor(client, msg.requestId));
    } catch (e) {
      this.reportError(client, msg?.requestId ?? '', e);
    }
  }

  private onUnknownType(client: Client, type: string | number): void {
    const error = new ClientMessageError(
      ErrorCode.BAD_MESSAGE,
      `unknown message type ${JSON.stringify(type)}; send ClientMessage bytes with type ${MessageType.CLIENT}`,
      undefined,
    );
    this.reportError(client, '', error);
  }

  private reportError(client: Client, requestId: string, e: unknown): void {
    const known = e instanceof ClientMessageError;
    const error = known
      ? e
      : new ClientMessageError(ErrorCode.INTERNAL, e instanceof Error ? e.message : String(e), undefined);
    if (!known) this.log.error({ err: e }, 'client message failed');
    this.sendTo(
      client,
      {
        case: 'error',
        value: create(ErrorSchema, {
          code: error.code,
          message: error.message,
          messageType: error.messageType,
          field: error.field,
          requestId,
          recoverable: error.recoverable,
        }),
      },
      requestId,
    );
  }

  private effectsFor(client: Client, requestId: string): SceneEffects {
    return {
      reply: (body) => this.sendTo(client, body, requestId),
      broadcast: (body) => this.broadcastBody(body),
      change: (change) => this.change(change),
      record: (kind, payload) => this.record(kind, payload),
      judge: (proposal) => this.judge.judge(proposal, this.scene),
      report: (report) => this.direction?.report(report),
      say: (say) => this.performances.say(say.npcId, say.text, sayOptionsFromWire(say)),
      controlPerformance: (action, target) => this.performances.control(action, target),
      respond: (npcId, playerId, text) => {
        this.dialogue?.reply(npcId, playerId, text).catch((e: unknown) => this.reportError(client, requestId, e));
      },
      stopAll: () => void this.performances.stopAll(false),
      pauseClock: (paused) => {
        if (paused) {
          this.sceneClock.pause();
          this.direction?.pause();
          this.performances.pauseAll();
        } else {
          this.sceneClock.resume();
          this.direction?.resume();
          this.performances.resumeAll();
        }
      },
    };
  }

  /** Applies a change to the scene and sends its delta to everyone. */
  change(change: SceneChange): void {
    const delta = this.scene.apply(change);
    if (!delta) return;
    this.broadcastBody({ case: 'delta', value: delta });
    this.record('delta', delta);
  }

  private sendTo(client: Client, body: ServerMessage['body'], requestId = ''): void {
    client.sendBytes(MessageType.SERVER, encodeServerMessage({ body, requestId }));
  }

  private broadcastBody(body: ServerMessage['body']): void {
    this.broadcastBytes(MessageType.SERVER, encodeServerMessage({ body }), {});
  }

  private record(kind: string, payload: unknown): void {
    try {
      this.services.recorder.append(this.scene.sceneId, kind, toJsonSafe(payload));
    } catch (e) {
      this.log.error({ err: e, kind }, 'could not record scene event');
    }
  }
}
