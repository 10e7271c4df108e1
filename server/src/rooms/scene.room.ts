import { type Client, CloseCode, ErrorCode as MatchErrorCode, matchMaker, Room, ServerError } from '@colyseus/core';
import {
  type ClientMessage,
  create,
  ErrorCode,
  ErrorSchema,
  encodeServerMessage,
  MessageType,
  type ServerMessage,
} from '@stagecraft/protocol';
import type { Logger } from 'pino';
import type { SceneDefinition } from '../scenes/scene-definition.js';
import { ByteBudget } from './byte-budget.js';
import { ClientMessageError } from './client-error.js';
import { handleClientMessage, playerIdOf, type Sender } from './client-messages.js';
import { assertRoom, CREATED_BY, checkInlineCreate } from './inline-policy.js';
import { parseJoinOptions } from './join-options.js';
import { LiveScene } from './live-scene.js';
import { MediaFanout, type MediaMessage, type MediaSubscription } from './media-fanout.js';
import { resolveScene } from './resolve-scene.js';
import type { SceneServices } from './scene-services.js';
import { decodeClientBytes } from './wire/client-bytes.js';
import { toJsonSafe } from './wire/json.js';
import type { SayOptions } from './wire/say.js';

/** How often a scene's director moves to the scene clock, ms. */
const DIRECTOR_TICK_MS = 100;

interface CreateOptions extends Record<string, unknown> {
  services: SceneServices;
}

/**
 * One live scene as a Colyseus room: who joined it and the bytes they send and receive. What the
 * scene does is its LiveScene's; what a client message does is handleClientMessage's.
 */
export class SceneRoom extends Room {
  private services!: SceneServices;
  private scene: LiveScene | undefined;
  private sceneId = '';
  private log!: Logger;
  private readonly senders = new Map<string, Sender>();
  private budget!: ByteBudget;
  private fanout!: MediaFanout;
  /** Why the server closed a client, by session, for its onDrop. */
  private readonly closeReasons = new Map<string, { reason: string; metric: string }>();

  override async onCreate(options: CreateOptions): Promise<void> {
    const { services, ...rest } = options;
    this.services = services;
    this.log = services.logger.child({ roomId: this.roomId });
    const join = parseJoinOptions(rest);
    const definition = resolveScene(join, services.catalog);
    const inline = join.scene !== undefined;
    const createdBy = inline ? String(rest[CREATED_BY] ?? 'server') : undefined;
    const policy = { createdBy: createdBy ?? '', policy: services.inline, live: services.live };
    if (inline) await checkInlineCreate({ ...policy, sceneId: join.sceneId, ...services });
    await this.refuseSecondRoom(join.sceneId);
    if (inline) assertRoom(policy);
    // Counted from here, so that two creations at once cannot both pass the caps.
    services.live.opened(this.roomId, join.sceneId, createdBy);
    try {
      await this.open(join.sceneId, definition, inline);
    } catch (e) {
      services.live.closed(this.roomId);
      throw e;
    }
  }

  private async open(sceneId: string, definition: SceneDefinition, inline: boolean): Promise<void> {
    const services = this.services;
    const resume = inline ? undefined : await services.resume.load(sceneId);
    this.sceneId = sceneId;
    this.log = services.logger.child({ sceneId, roomId: this.roomId });
    this.maxMessagesPerSecond = services.maxMessagesPerSecond;
    this.budget = new ByteBudget(services.maxBytesPerSecond);
    this.fanout = new MediaFanout(
      () => this.clients,
      services.fanout,
      services.mediaMetrics,
      (client, buffered) => {
        const reason = `${buffered} bytes waited for it to read (the limit is ${services.fanout.closeBytes})`;
        this.closeReasons.set(client.sessionId, { reason, metric: 'slow' });
        this.kickClient(client.sessionId, CloseCode.WITH_ERROR, reason);
      },
    );
    const pack = inline ? undefined : services.catalog.pack(sceneId);
    const title = definition.title ?? definition.id;
    await this.setMetadata({ sceneId, title });
    this.onMessageBytes(MessageType.CLIENT, (client: Client, bytes: Uint8Array) => this.onClientBytes(client, bytes));
    this.onMessage('*', (client: Client, type: string | number) => this.onUnknownType(client, type));
    await services.recorder.open(sceneId);
    await services.registry.upsert({ id: sceneId, title, definition, status: 'live' });
    const outlet = {
      broadcast: (body: ServerMessage['body']) => this.fanout.broadcast(body),
      media: (message: MediaMessage) => this.fanout.media(message),
      wantsOpus: (npcId: string) => this.fanout.wants(npcId, 'opus'),
      record: (kind: string, payload: unknown) => this.record(kind, payload),
      flush: () => services.recorder.flush(),
      log: this.log,
    };
    const cast = definition.cast.map((c) => c.id);
    this.record('scene.created', { title, cast, inline, resumedAtMs: resume?.clockMs });
    const scene = await LiveScene.open(outlet, {
      sceneId,
      definition,
      pack,
      resume,
      voices: services.voices,
      voiceMetrics: services.voiceMetrics,
      sceneMetrics: services.sceneMetrics,
      faceFps: services.faceFps,
      opus: services.opus,
      performanceIds: services.performanceIds,
      dialogue: services.dialogue,
    });
    this.scene = scene;
    if (scene.hasDirector) this.clock.setInterval(() => scene.tick(), DIRECTOR_TICK_MS);
    this.log.info({ cast: cast.length, pack: pack?.id, resumedAtMs: resume?.clockMs }, 'scene created');
  }

  /** Speaks a line as `npcId` to every client of the scene; returns the performance id. */
  say(npcId: string, text: string, options: SayOptions = {}): string {
    return this.live.say(npcId, text, options);
  }

  override onBeforeShutdown(): void {
    // Every line ends with PerformanceEnd(interrupted) before the clients are let go.
    this.live.stopAll(true).finally(() => super.onBeforeShutdown());
  }

  override onJoin(client: Client, options: unknown): void {
    const join = parseJoinOptions(options);
    if (join.sceneId !== this.sceneId) {
      throw new ServerError(MatchErrorCode.MATCHMAKE_INVALID_CRITERIA, `this room plays scene "${this.sceneId}"`);
    }
    const auth = client.auth as { name?: string; role?: Sender['role'] } | undefined;
    const sender: Sender = {
      sessionId: client.sessionId,
      name: auth?.name ?? join.name ?? '',
      role: auth?.role ?? join.role,
    };
    this.senders.set(client.sessionId, sender);
    this.fanout.join(client.sessionId, join.audio, { all: false, npcIds: new Set() });
    this.services.live.clients(this.roomId, this.clients.length);
    this.sendTo(client, { case: 'snapshot', value: this.live.state.snapshot() });
    this.fanout.subscribe(client.sessionId, this.subscription(join.media, 'media', client));
    this.record('client.joined', { sessionId: client.sessionId, name: sender.name, role: sender.role });
    if (sender.role !== 'observer') this.live.playerJoined(playerIdOf(sender));
  }

  override async onDrop(client: Client, code?: number): Promise<void> {
    this.budget.forget(client.sessionId);
    if (code === CloseCode.WITH_ERROR) {
      // Closed by the server (too many messages or bytes): at once, with its code, and not reconnectable.
      const why = this.closeReasons.get(client.sessionId) ?? this.messageRateReason(client);
      this.closeReasons.delete(client.sessionId);
      this.services.clientsClosed.inc({ reason: why.metric });
      this.log.warn(
        { event: 'client.closed', sessionId: client.sessionId, code, reason: why.reason },
        'client closed by the server',
      );
      this.record('client.closed', { sessionId: client.sessionId, code, reason: why.reason });
      return;
    }
    this.record('client.dropped', { sessionId: client.sessionId });
    await this.allowReconnection(client, this.services.reconnectSeconds);
  }

  private messageRateReason(client: Client): { reason: string; metric: string } {
    const count = (client as { _numMessagesLastSecond?: number })._numMessagesLastSecond;
    return count !== undefined && count > this.maxMessagesPerSecond
      ? { reason: `more than ${this.maxMessagesPerSecond} messages in a second`, metric: 'messages' }
      : { reason: 'closed for an error', metric: 'error' };
  }

  override onReconnect(client: Client): void {
    this.record('client.reconnected', { sessionId: client.sessionId });
    this.sendTo(client, { case: 'snapshot', value: this.live.state.snapshot() });
  }

  override onLeave(client: Client): void {
    this.senders.delete(client.sessionId);
    this.fanout.leave(client.sessionId);
    this.services.live.clients(this.roomId, this.clients.length);
    this.record('client.left', { sessionId: client.sessionId });
  }

  override async onDispose(): Promise<void> {
    this.services.live.closed(this.roomId);
    const scene = this.scene;
    if (!scene) return; // creation failed: nothing was started
    // A scene cut off by a server shutdown stays live, to resume when the server is back;
    // one that everybody left is over.
    const suspended = matchMaker.state === matchMaker.MatchMakerState.SHUTTING_DOWN && scene.hasDirector;
    await scene.close();
    this.record(suspended ? 'scene.suspended' : 'scene.closed', { clockMs: Math.floor(scene.clockMs()) });
    try {
      if (!suspended) await this.services.registry.setStatus(this.sceneId, 'closed');
      await this.services.recorder.flush();
    } catch (e) {
      this.log.error({ err: e }, 'could not close the scene record');
    }
    this.log.info('scene closed');
  }

  private get live(): LiveScene {
    if (!this.scene) throw new Error(`scene "${this.sceneId}" is not open`);
    return this.scene;
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

  private onClientBytes(client: Client, bytes: Uint8Array): void {
    const sender = this.senders.get(client.sessionId);
    if (!sender || !this.scene) return;
    if (!this.budget.take(client.sessionId, bytes.byteLength)) {
      const reason = `more than ${this.budget.maxPerSecond} bytes in a second`;
      this.closeReasons.set(client.sessionId, { reason, metric: 'bytes' });
      this.kickClient(client.sessionId, CloseCode.WITH_ERROR, reason);
      return;
    }
    let msg: ClientMessage | undefined;
    try {
      msg = decodeClientBytes(bytes);
      const requestId = msg.requestId;
      if (this.services.recorder.backPressure && msg.body.case !== 'snapshotRequest') {
        const message = 'the server is waiting for its database to catch up; send this again shortly';
        throw new ClientMessageError(ErrorCode.RATE_LIMITED, message, msg.body.case);
      }
      handleClientMessage(msg, sender, this.scene, {
        reply: (body) => this.sendTo(client, body, requestId),
        fail: (e) => this.reportError(client, requestId, e),
        subscribe: (npcIds) => this.fanout.subscribe(client.sessionId, this.subscription(npcIds, 'media.npc_ids')),
      });
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
    const value = create(ErrorSchema, {
      code: error.code,
      message: error.message,
      messageType: error.messageType,
      field: error.field,
      requestId,
      recoverable: error.recoverable,
    });
    this.sendTo(client, { case: 'error', value }, requestId);
  }

  /**
   * A subscription from the join option or a MediaSubscription. An unknown NPC fails a
   * MediaSubscription naming `field`; in the join option it is reported to the client after its
   * snapshot (the join itself stands, subscribed to the NPCs that exist).
   */
  private subscription(media: 'all' | 'none' | readonly string[], field: string, client?: Client): MediaSubscription {
    if (media === 'all') return { all: true };
    const ids = media === 'none' ? [] : media;
    const unknown = ids.findIndex((id) => !this.live.state.member(id));
    if (unknown >= 0) {
      const message = `${field}[${unknown}]: no cast member "${ids[unknown]}" in this scene`;
      const error = new ClientMessageError(ErrorCode.UNKNOWN_NPC, message, 'media', `${field}[${unknown}]`);
      if (!client) throw error;
      this.reportError(client, '', error);
    }
    return { all: false, npcIds: new Set(ids.filter((id) => this.live.state.member(id))) };
  }

  private sendTo(client: Client, body: ServerMessage['body'], requestId = ''): void {
    const bytes = encodeServerMessage({ body, requestId });
    client.sendBytes(MessageType.SERVER, bytes);
    this.services.sceneMetrics.sentBytes.inc({ kind: body.case ?? 'none' }, bytes.length);
  }

  private record(kind: string, payload: unknown): void {
    try {
      this.services.recorder.append(this.sceneId, kind, toJsonSafe(payload));
    } catch (e) {
      this.log.error({ err: e, kind }, 'could not record scene event');
    }
  }
}
