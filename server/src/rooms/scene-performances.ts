import { randomUUID } from 'node:crypto';
import { ControlAction, ErrorCode, type ServerMessage } from '@stagecraft/protocol';
import type { Logger } from 'pino';
import type { CastVoice } from '../engines/tts/voice-registry.js';
import type { CastVoices } from '../performance/cast-voices.js';
import type { Tier } from '../performance/frames.js';
import type { VoiceMetrics } from '../performance/metrics.js';
import { type PerformanceHandle, speak } from '../performance/speak.js';
import type { Delivery, FaceSettings } from '../performance/to-face.js';
import { ClientMessageError } from './client-error.js';
import { frameToWire, type StartContext } from './performance-wire.js';
import { DEFAULT_INTENSITY, type SayOptions } from './say-options.js';

/** Longest line one Say may carry, characters. */
export const MAX_SAY_CHARS = 20_000;

/** What a scene's performances need from their room. */
export interface PerformanceHooks {
  broadcast(body: ServerMessage['body']): void;
  record(kind: string, payload: unknown): void;
  clockMs(): number;
  /** The cast member's voice, tier and face expressiveness, or undefined for an unknown NPC. */
  castVoice(npcId: string): { voice: CastVoice | undefined; tier: Tier; expressiveness: number } | undefined;
  /** Face frames per second; 0 sends no face stream. */
  faceFps: number;
  /** Marks an NPC speaking (a performance id) or silent (''). */
  setSpeaking(npcId: string, performanceId: string): void;
  log: Logger;
}

/**
 * The performances of one scene: at most one line per NPC at a time. A new line for an NPC
 * stops its current line when that one is interruptible, and waits for it otherwise.
 */
export class ScenePerformances {
  private readonly byId = new Map<string, { handle: PerformanceHandle; npcId: string }>();
  private readonly current = new Map<string, PerformanceHandle>();
  private readonly queues = new Map<string, Promise<void>>();
  private paused = false;

  constructor(
    private readonly voices: CastVoices,
    private readonly metrics: VoiceMetrics,
    private readonly hooks: PerformanceHooks,
  ) {}

  /** Starts (or queues) a line; returns its performance id. Throws ClientMessageError for bad input. */
  say(npcId: string, text: string, options: SayOptions = {}): string {
    const line = text.trim();
    if (!line) throw new ClientMessageError(ErrorCode.INVALID_FIELD, 'say.text is empty', 'say', 'say.text');
    if (line.length > MAX_SAY_CHARS) {
      const message = `say.text has ${line.length} characters; the limit is ${MAX_SAY_CHARS}`;
      throw new ClientMessageError(ErrorCode.INVALID_FIELD, message, 'say', 'say.text');
    }
    return this.start(npcId, line, options);
  }

  /**
   * Speaks a line while it is being written (dialogue): text fragments as they come, and the
   * delivery (emotion, intent, gesture) once it is known. Returns the performance id.
   */
  sayStream(npcId: string, text: AsyncIterable<string>, later: Promise<Delivery>): string {
    return this.start(npcId, text, { interruptible: true }, later);
  }

  private start(
    npcId: string,
    text: string | AsyncIterable<string>,
    options: SayOptions,
    later?: Promise<Delivery>,
  ): string {
    const cast = this.hooks.castVoice(npcId);
    if (!cast)
      throw new ClientMessageError(
        ErrorCode.UNKNOWN_NPC,
        `no cast member "${npcId}" in this scene`,
        'say',
        'say.npc_id',
      );
    let chain: ReturnType<CastVoices['forCast']>;
    try {
      chain = this.voices.forCast(cast.voice, cast.tier, `cast member "${npcId}" voice`);
    } catch (e) {
      throw new ClientMessageError(ErrorCode.UNSUPPORTED, (e as Error).message, 'say', 'say.npc_id');
    }
    const performanceId = randomUUID();
    this.current.get(npcId)?.stop();
    const previous = this.queues.get(npcId) ?? Promise.resolve();
    const face = faceSettings(this.hooks.faceFps, cast.expressiveness, performanceId, options, later);
    const next = previous.then(() => this.play(npcId, performanceId, text, chain, options, face, later));
    this.queues.set(
      npcId,
      next.catch((e: unknown) => this.hooks.log.error({ err: e, npcId, performanceId }, 'performance failed')),
    );
    const recorded = typeof text === 'string' ? text : '';
    this.hooks.record('say', { npcId, performanceId, text: recorded, interruptible: options.interruptible ?? true });
    return performanceId;
  }

  /** Pauses, resumes or stops one performance, or an NPC's current one; throws ClientMessageError. */
  control(action: ControlAction, target: { npcId?: string; performanceId?: string }): void {
    let handle: PerformanceHandle | undefined;
    if (target.performanceId) {
      handle = this.byId.get(target.performanceId)?.handle;
      if (!handle) {
        const message = `no performance "${target.performanceId}" is playing`;
        throw new ClientMessageError(ErrorCode.UNKNOWN_PERFORMANCE, message, 'control', 'control.performance_id');
      }
    } else if (target.npcId) {
      handle = this.current.get(target.npcId);
      if (!handle) return; // the NPC is silent: nothing to pause, resume or stop
    }
    if (!handle) return;
    if (action === ControlAction.PAUSE) handle.pause();
    else if (action === ControlAction.RESUME) handle.resume();
    else if (action === ControlAction.STOP && !handle.stop()) {
      const message = `performance "${handle.performanceId}" is not interruptible`;
      throw new ClientMessageError(ErrorCode.FORBIDDEN, message, 'control', 'control.action');
    }
  }

  /** Scene pause: every line holds; lines that start meanwhile start held. */
  pauseAll(): void {
    this.paused = true;
    for (const h of this.current.values()) h.pause();
  }

  resumeAll(): void {
    this.paused = false;
    for (const h of this.current.values()) h.resume();
  }

  /** Stops every line (`force` also stops non-interruptible ones) and waits for their ends. */
  async stopAll(force: boolean): Promise<void> {
    const handles = [...this.current.values()];
    for (const h of handles) h.stop({ force });
    await Promise.all(handles.map((h) => h.ended.catch(() => undefined)));
  }

  get playing(): number {
    return this.current.size;
  }

  private async play(
    npcId: string,
    performanceId: string,
    text: string | AsyncIterable<string>,
    chain: ReturnType<CastVoices['forCast']>,
    options: SayOptions,
    face: FaceSettings | undefined,
    later: Promise<Delivery> | undefined,
  ): Promise<void> {
    const interruptible = options.interruptible ?? true;
    const handle = speak(
      { performanceId, npcId, text, voice: chain.settings, interruptible, face },
      { engine: chain.engine, metrics: this.metrics },
    );
    this.current.set(npcId, handle);
    this.byId.set(performanceId, { handle, npcId });
    if (this.paused) handle.pause();
    const start: StartContext = { npcId, sceneClockMs: this.hooks.clockMs(), emotion: options.emotion };
    later?.then(
      (d) => {
        start.emotion = d.emotion;
      },
      () => undefined,
    );
    try {
      for await (const frame of handle.frames) {
        if (frame.kind === 'start') {
          start.sceneClockMs = this.hooks.clockMs();
          this.hooks.setSpeaking(npcId, performanceId);
        } else if (frame.kind === 'error') {
          this.hooks.log.warn({ npcId, performanceId, message: frame.message }, 'performance went on past a problem');
        } else if (frame.kind === 'end') {
          const { reason, durationMs, message } = frame;
          this.hooks.record('performance.ended', { npcId, performanceId, reason, durationMs, message });
        }
        const body = frameToWire(frame, start);
        if (body) this.hooks.broadcast(body);
      }
    } finally {
      this.byId.delete(performanceId);
      if (this.current.get(npcId) === handle) {
        this.current.delete(npcId);
        this.hooks.setSpeaking(npcId, '');
      }
    }
  }
}

/** The face of one line: the scene's frame rate, the cast member's expressiveness, the line's emotion. */
function faceSettings(
  fps: number,
  expressiveness: number,
  performanceId: string,
  options: SayOptions,
  later: Promise<Delivery> | undefined,
): FaceSettings | undefined {
  if (fps <= 0) return undefined;
  return {
    later,
    fps,
    expressiveness,
    emotion: options.emotion ?? 'neutral',
    intensity: options.intensity ?? DEFAULT_INTENSITY,
    intent: options.intent,
    gesture: options.gesture,
    seed: Number.parseInt(performanceId.slice(0, 8), 16) || 1,
  };
}
