import { randomUUID } from 'node:crypto';
import { CastMemberSchema, ControlAction, create, ErrorCode, LIMITS } from '@stagecraft/protocol';
import type { CastVoices } from '../engines/tts/cast-voices.js';
import type { VoiceMetrics } from '../engines/tts/voice-metrics.js';
import { castVoiceOf } from '../engines/tts/voice-registry.js';
import type { Delivery } from '../media/delivery.js';
import { type PerformanceHandle, speak } from '../performance/speak.js';
import type { FaceOptions } from '../performance/to-face.js';
import { type CastDefinition, castTier } from '../scenes/scene-definition.js';
import { ClientMessageError } from './client-error.js';
import type { SceneContext } from './scene-context.js';
import { DEFAULT_OPUS, OpusAudio, type OpusSettings } from './wire/opus-audio.js';
import { frameToWire, opusAudioToWire, opusStartToWire, type StartContext } from './wire/performance.js';
import type { SayOptions } from './wire/say.js';

/** One line to speak: its text (whole, or as it is written), how, and a delivery known later. */
interface Line {
  npcId: string;
  text: string | AsyncIterable<string>;
  options: SayOptions;
  later?: Promise<Delivery>;
}

export interface PerformanceOptions {
  metrics: VoiceMetrics;
  /** Face frames per second; 0 sends no face stream. */
  faceFps: number;
  /** Makes performance ids; random UUIDs by default. */
  newId?: () => string;
  /** How Opus is encoded for the clients that ask for it. */
  opus?: OpusSettings;
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
    private readonly ctx: SceneContext,
    private readonly cast: ReadonlyMap<string, CastDefinition>,
    private readonly voices: CastVoices,
    private readonly options: PerformanceOptions,
  ) {}

  /** Starts (or queues) a line; returns its performance id. Throws ClientMessageError for bad input. */
  say(npcId: string, text: string, options: SayOptions = {}): string {
    const line = text.trim();
    if (!line) throw new ClientMessageError(ErrorCode.INVALID_FIELD, 'say.text is empty', 'say', 'say.text');
    if (line.length > LIMITS.sayTextChars) {
      const message = `say.text has ${line.length} characters; the limit is ${LIMITS.sayTextChars}`;
      throw new ClientMessageError(ErrorCode.INVALID_FIELD, message, 'say', 'say.text');
    }
    return this.start({ npcId, text: line, options });
  }

  /**
   * Speaks a line while it is being written (dialogue): text fragments as they come, and the
   * delivery (emotion, intent, gesture) once it is known. Returns the performance id.
   */
  sayStream(npcId: string, text: AsyncIterable<string>, later: Promise<Delivery>, requestId = ''): string {
    return this.start({ npcId, text, options: { interruptible: true, requestId }, later });
  }

  private start(line: Line): string {
    const { npcId, text, options } = line;
    const cast = this.castVoice(npcId);
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
    const performanceId = (this.options.newId ?? randomUUID)();
    this.current.get(npcId)?.stop();
    const previous = this.queues.get(npcId) ?? Promise.resolve();
    const face = faceOptions(this.options.faceFps, cast.expressiveness, performanceId);
    const next = previous.then(() => this.play(line, performanceId, chain, face));
    this.queues.set(
      npcId,
      next.catch((e: unknown) => this.ctx.log.error({ err: e, npcId, performanceId }, 'performance failed')),
    );
    const recorded = typeof text === 'string' ? text : '';
    this.ctx.record('say', { npcId, performanceId, text: recorded, interruptible: options.interruptible ?? true });
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

  /** The cast member's voice, tier and face expressiveness, or undefined for an unknown NPC. */
  private castVoice(npcId: string) {
    const def = this.cast.get(npcId);
    if (!def) return undefined;
    const voice = def.voice === undefined ? undefined : castVoiceOf(def.voice);
    return { voice, tier: castTier(def), expressiveness: def.expressiveness ?? 1 };
  }

  /** Marks an NPC speaking (a performance id) or silent (''). */
  private setSpeaking(npcId: string, performanceId: string): void {
    const member = this.ctx.state.member(npcId);
    if (!member) return;
    const speaking = create(CastMemberSchema, { ...member, speaking: performanceId !== '', performanceId });
    this.ctx.change({ castUpserts: [speaking] });
  }

  private async play(
    line: Line,
    performanceId: string,
    chain: ReturnType<CastVoices['forCast']>,
    face: FaceOptions | undefined,
  ): Promise<void> {
    const { npcId, text, later } = line;
    const { interruptible = true, requestId = '', ...delivery } = line.options;
    const handle = speak(
      { performanceId, npcId, text, voice: chain.settings, interruptible, delivery, later, face },
      { engine: chain.engine, metrics: this.options.metrics },
    );
    this.current.set(npcId, handle);
    this.byId.set(performanceId, { handle, npcId });
    if (this.paused) handle.pause();
    const start: StartContext = { npcId, sceneClockMs: this.ctx.clockMs(), emotion: delivery.emotion, requestId };
    later?.then(
      (d) => {
        start.emotion = d.emotion;
      },
      () => undefined,
    );
    // Opus is encoded once per line, and only when a client that asked for it hears this NPC.
    let opus: OpusAudio | undefined;
    let opusSeq = 0;
    try {
      for await (const frame of handle.frames) {
        let opusBody: ReturnType<typeof frameToWire>;
        if (frame.kind === 'start') {
          start.sceneClockMs = this.ctx.clockMs();
          this.setSpeaking(npcId, performanceId);
          if (this.ctx.wantsOpus(npcId))
            opus = await OpusAudio.open(frame.sampleRate, this.options.opus ?? DEFAULT_OPUS).catch((e: unknown) => {
              this.ctx.log.error({ err: e, npcId, performanceId }, 'no Opus encoder: Opus clients miss this line');
              return undefined;
            });
          opusBody = opus ? opusStartToWire(frame, start) : undefined;
        } else if (frame.kind === 'audio') {
          const packets = opus?.push(frame.pcm, frame.final);
          opusBody =
            packets && (packets.packets.length > 0 || frame.final)
              ? opusAudioToWire(frame, packets, opusSeq++)
              : undefined;
        } else if (frame.kind === 'error') {
          this.ctx.log.warn({ npcId, performanceId, message: frame.message }, 'performance went on past a problem');
        } else if (frame.kind === 'end') {
          const { reason, durationMs, message } = frame;
          this.ctx.record('performance.ended', { npcId, performanceId, reason, durationMs, message });
        }
        const body = frameToWire(frame, start);
        if (!body) continue;
        const media = frame.kind === 'start' || frame.kind === 'audio' ? opusBody : body;
        this.ctx.media({
          npcId,
          performanceId,
          pcm16: body,
          ...(media ? { opus: media } : {}),
          end: frame.kind === 'end',
        });
      }
    } finally {
      opus?.close();
      this.byId.delete(performanceId);
      if (this.current.get(npcId) === handle) {
        this.current.delete(npcId);
        this.setSpeaking(npcId, '');
      }
    }
  }
}

/** The face of one line: the scene's frame rate and the cast member's expressiveness, seeded per line. */
function faceOptions(fps: number, expressiveness: number, performanceId: string): FaceOptions | undefined {
  if (fps <= 0) return undefined;
  return { fps, expressiveness, seed: Number.parseInt(performanceId.slice(0, 8), 16) || 1 };
}
