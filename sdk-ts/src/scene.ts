import type { Room } from '@colyseus/sdk';
import {
  type ClientMessageSchema,
  type Control,
  ControlAction,
  type Cue,
  create,
  type Directive,
  decodeServerMessage,
  EMOTION,
  type EmotionName,
  EndReason,
  encodeClientMessage,
  GESTURE,
  type GestureName,
  INTENT,
  type IntentName,
  type MediaDropped,
  type MessageInitShape,
  MessageType,
  PerformanceEndSchema,
  type PlayerLine,
  type SaySchema,
  type SceneDelta,
  type SceneSnapshot,
  type ServerMessage,
  type Subtitle,
  type Verdict,
  type Vocabulary,
} from '@stagecraft/protocol';
import { Emitter } from './emitter.js';
import { StagecraftError } from './errors.js';
import { Performance } from './performance.js';
import { applyDelta, type SceneView, viewFromSnapshot } from './scene-view.js';

type Body<K extends NonNullable<MessageInitShape<typeof ClientMessageSchema>['body']>['case']> = Extract<
  NonNullable<MessageInitShape<typeof ClientMessageSchema>['body']>,
  { case: K }
>['value'];

/** An action an NPC proposes (ActionProposal without its id, which the SDK fills in). */
export type ProposalInit = Omit<NonNullable<Body<'proposal'>>, 'proposalId' | '$typeName'> & { proposalId?: string };
/** What the game reports about the world (WorldReport). */
export type WorldReportInit = NonNullable<Body<'worldReport'>>;

export interface SceneEvents extends Record<string, unknown[]> {
  snapshot: [SceneSnapshot];
  delta: [SceneDelta];
  /** The view changed (after a snapshot or a delta). */
  state: [SceneView];
  directive: [Directive];
  verdict: [Verdict];
  playerLine: [PlayerLine];
  performance: [Performance];
  cue: [Cue];
  /** A clause of a line's text as it is spoken (also on the performance's `subtitles`). */
  subtitle: [Subtitle];
  control: [Control];
  /** The server stopped sending a line's media to this client: it read too slowly. */
  mediaDropped: [MediaDropped];
  error: [StagecraftError];
  reconnecting: [{ code: number }];
  reconnected: [];
  leave: [{ code: number; reason?: string }];
  /** Every ServerMessage, decoded, before the typed events. */
  message: [ServerMessage];
}

const PERFORMANCE_MEDIA = new Set(['audio', 'subtitle', 'phonemes', 'visemes', 'face', 'cue', 'performanceEnd']);

/** How `say` delivers a line. */
export interface SayOptions {
  /** False: stop and barge-in leave the line playing. Default true. */
  interruptible?: boolean;
  /** neutral, joy, sadness, anger, fear, surprise or disgust: drives the face (`EMOTIONS`). */
  emotion?: EmotionName;
  /** Strength of the emotion, 0..1 (default 0.6). */
  intensity?: number;
  /** inform, greet, ask, refuse, agree, threaten, comfort or farewell: drives body cues (`INTENTS`). */
  intent?: IntentName;
  /** nod, head_shake, shrug, lean_in, point or wave (`GESTURES`). */
  gesture?: GestureName;
  /** How long to wait for the performance to start, ms (default 10,000). */
  timeoutMs?: number;
}

/** A joined scene: its live state, typed events per message kind, and what a client can send. */
export class Scene extends Emitter<SceneEvents> {
  private view: SceneView | undefined;
  private awaitingSnapshot = true;
  private nextRequest = 1;
  private readonly pending = new Map<
    string,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }
  >();
  /** Performances playing now, by id. */
  readonly performances = new Map<string, Performance>();
  private firstSnapshot!: Promise<void>;
  /** The close code, once this client is out of the scene (it left, or the server closed it). */
  private leftWith: number | undefined;

  /** @internal Use `client.joinScene()` or `client.createScene()`. */
  constructor(readonly room: Room) {
    super();
    this.firstSnapshot = new Promise((resolve) => this.once('snapshot', () => resolve()));
    room.onMessage(MessageType.SERVER, (bytes: Uint8Array) => this.onBytes(bytes));
    room.onDrop((code: number) => this.emit('reconnecting', { code }));
    room.onReconnect(() => this.emit('reconnected'));
    room.onLeave((code: number, reason?: string) => this.onLeft(code, reason));
  }

  /** @internal Resolves once the first snapshot has arrived. */
  ready(): Promise<void> {
    return this.firstSnapshot;
  }

  get sceneId(): string {
    return this.state.sceneId;
  }

  /** The Colyseus session id of this client. */
  get sessionId(): string {
    return this.room.sessionId;
  }

  /** The scene as this client knows it; current after every snapshot and delta. */
  get state(): SceneView {
    if (!this.view) throw new StagecraftError('the scene has not sent its snapshot yet');
    return this.view;
  }

  /** Proposes an NPC action; resolves with the constraint engine's verdict. */
  propose(action: ProposalInit, options: { timeoutMs?: number } = {}): Promise<Verdict> {
    const requestId = this.requestId('p');
    const proposal = { ...action, proposalId: action.proposalId ?? requestId };
    return this.request(requestId, { case: 'proposal', value: proposal }, options.timeoutMs) as Promise<Verdict>;
  }

  /** Reports world state (health, downed, area, counters…) to the scene's director. */
  report(world: WorldReportInit): void {
    this.send({ body: { case: 'worldReport', value: world } });
  }

  /**
   * The player says something to an NPC; resolves with the NPC's reply once it starts (its
   * performance carries this request's id). The reply is spoken to the whole scene.
   */
  sayTo(npcId: string, text: string, options: { timeoutMs?: number } = {}): Promise<Performance> {
    const requestId = this.requestId('l');
    const reply = this.request(requestId, { case: 'playerLine', value: { npcId, text } }, options.timeoutMs ?? 30_000);
    return quiet(reply as Promise<Performance>);
  }

  /** Makes an NPC speak a line to the whole scene; resolves with its performance once it starts. */
  say(npcId: string, text: string, options: SayOptions = {}): Promise<Performance> {
    let value: MessageInitShape<typeof SaySchema>;
    try {
      value = {
        npcId,
        text,
        interruptible: options.interruptible,
        intensity: options.intensity,
        emotion: wireWord(EMOTION, options.emotion, 'say.emotion'),
        intent: wireWord(INTENT, options.intent, 'say.intent'),
        gesture: wireWord(GESTURE, options.gesture, 'say.gesture'),
      };
    } catch (e) {
      return Promise.reject(e);
    }
    const requestId = this.requestId('s');
    return this.request(requestId, { case: 'say', value }, options.timeoutMs ?? 10_000) as Promise<Performance>;
  }

  /** Pauses the scene: its clock, director and every line. Resolves once the server has done it. */
  pause(): Promise<void> {
    return this.control(ControlAction.PAUSE);
  }

  resume(): Promise<void> {
    return this.control(ControlAction.RESUME);
  }

  /** Stops one performance, an NPC's current line, or (no target) every interruptible line. */
  stop(target: { npcId?: string; performanceId?: string } = {}): Promise<void> {
    return this.control(ControlAction.STOP, target);
  }

  /**
   * Pauses, resumes or stops a target: a performance, an NPC's line, or the scene. Resolves when
   * the server acknowledges it; rejects with its error (e.g. a line that is not interruptible).
   * A caller that does not wait may ignore the promise: the error is also emitted as `error`.
   */
  control(action: ControlAction, target: { npcId?: string; performanceId?: string } = {}): Promise<void> {
    const requestId = this.requestId('c');
    return quiet(this.request(requestId, { case: 'control', value: { action, ...target } }) as Promise<void>);
  }

  /**
   * Chooses which NPCs' media this client receives: `all` (the default), `none` (a control-only
   * tool), or a list of NPC ids. Resolves once the server has applied it.
   */
  subscribe(media: 'all' | 'none' | readonly string[]): Promise<void> {
    const requestId = this.requestId('m');
    const value = media === 'all' ? { all: true } : { all: false, npcIds: media === 'none' ? [] : [...media] };
    return this.request(requestId, { case: 'media', value }) as Promise<void>;
  }

  requestSnapshot(): void {
    this.send({ body: { case: 'snapshotRequest', value: {} } });
  }

  /**
   * Leaves the scene; resolves once the server has closed the connection, or at once when it
   * already has (the room was disposed, the server shut down, the client was closed).
   */
  async leave(): Promise<void> {
    if (this.leftWith !== undefined) return;
    await this.room.leave(true);
  }

  /** Sends a raw ClientMessage. */
  send(message: MessageInitShape<typeof ClientMessageSchema>): void {
    this.room.sendBytes(MessageType.CLIENT, encodeClientMessage(message));
  }

  private requestId(prefix: string): string {
    return `${prefix}${this.nextRequest++}`;
  }

  private request(requestId: string, body: MessageInitShape<typeof ClientMessageSchema>['body'], timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new StagecraftError(`no answer to request ${requestId} within ${timeoutMs} ms`, { requestId }));
      }, timeoutMs);
      this.pending.set(requestId, { resolve, reject, timer });
      this.send({ requestId, body });
    });
  }

  private settle(requestId: string, value: unknown, error?: StagecraftError): boolean {
    const waiting = this.pending.get(requestId);
    if (!waiting) return false;
    this.pending.delete(requestId);
    clearTimeout(waiting.timer);
    if (error) waiting.reject(error);
    else waiting.resolve(value);
    return true;
  }

  private onBytes(bytes: Uint8Array): void {
    let msg: ServerMessage;
    try {
      msg = decodeServerMessage(bytes);
    } catch (e) {
      this.emit('error', new StagecraftError(`undecodable message from the server: ${(e as Error).message}`));
      return;
    }
    this.emit('message', msg);
    const { body } = msg;
    switch (body.case) {
      case 'snapshot':
        this.view = viewFromSnapshot(body.value);
        this.awaitingSnapshot = false;
        this.emit('snapshot', body.value);
        this.emit('state', this.view);
        return;
      case 'delta':
        this.onDelta(body.value);
        return;
      case 'verdict':
        this.settle(msg.requestId, body.value);
        this.emit('verdict', body.value);
        return;
      case 'error': {
        const error = StagecraftError.fromWire(body.value);
        this.settle(body.value.requestId || msg.requestId, undefined, error);
        this.emit('error', error);
        return;
      }
      case 'performanceStart': {
        const p = new Performance(body.value);
        this.performances.set(p.id, p);
        if (p.requestId) this.settle(p.requestId, p);
        this.emit('performance', p);
        return;
      }
      case 'ack':
        if (msg.requestId && this.pending.has(msg.requestId)) {
          // A player line acknowledged without a reply: the scene answers no player lines.
          const asked = msg.requestId.startsWith('l');
          const error = new StagecraftError('this scene answers no player lines', { requestId: msg.requestId });
          this.settle(msg.requestId, undefined, asked ? error : undefined);
        }
        return;
      case 'directive':
        this.emit('directive', body.value);
        return;
      case 'playerLine':
        this.emit('playerLine', body.value);
        return;
      case 'control':
        this.emit('control', body.value);
        return;
      case 'mediaDropped':
        this.performances.get(body.value.performanceId)?.drop(body.value);
        this.emit('mediaDropped', body.value);
        return;
    }
    if (body.case && PERFORMANCE_MEDIA.has(body.case)) {
      const value = body.value as { performanceId: string };
      const p = this.performances.get(value.performanceId);
      if (body.case === 'cue') this.emit('cue', body.value as Cue);
      if (body.case === 'subtitle') this.emit('subtitle', body.value as Subtitle);
      if (!p) return;
      p.receive(body.case as Parameters<Performance['receive']>[0], body.value as never);
      if (body.case === 'performanceEnd') this.performances.delete(p.id);
    }
  }

  private onDelta(delta: SceneDelta): void {
    if (this.awaitingSnapshot || !this.view) return;
    if (!applyDelta(this.view, delta)) {
      this.awaitingSnapshot = true;
      this.requestSnapshot();
      return;
    }
    this.emit('delta', delta);
    this.emit('state', this.view);
  }

  private onLeft(code: number, reason?: string): void {
    this.leftWith = code;
    for (const p of this.performances.values()) {
      const end = { performanceId: p.id, npcId: p.npcId, reason: EndReason.INTERRUPTED, message: 'left the scene' };
      p.close(create(PerformanceEndSchema, end));
    }
    this.performances.clear();
    for (const [id, w] of this.pending) {
      clearTimeout(w.timer);
      w.reject(new StagecraftError(`left the scene (code ${code}) before request ${id} was answered`));
    }
    this.pending.clear();
    this.emit('leave', { code, ...(reason ? { reason } : {}) });
  }
}

/** The enum value of an optional word; a word the vocabulary lacks is refused before sending. */
function wireWord<W extends string, E extends number>(
  vocabulary: Vocabulary<W, E>,
  word: W | undefined,
  field: string,
): E | undefined {
  if (word === undefined) return undefined;
  if (vocabulary.has(word)) return vocabulary.toWire(word);
  throw new StagecraftError(`${field} "${word}" is not one of ${vocabulary.words.join(', ')}`, {
    messageType: 'Say',
    field,
  });
}

/** The promise, with its rejection marked handled: callers that do not wait get the `error` event. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
