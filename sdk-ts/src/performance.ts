import {
  type AudioChunk,
  AudioEncoding,
  type Cue,
  create,
  EMOTION,
  type EmotionName,
  EndReason,
  type FaceFrames,
  type MediaDropped,
  type PerformanceEnd,
  PerformanceEndSchema,
  type PerformanceStart,
  type PhonemeEvents,
  type Subtitle,
  type VisemeEvents,
} from '@stagecraft/protocol';
import { FacePlayer } from './face-player.js';
import { OpusDecoder } from './opus-decoder.js';
import { ReplayStream } from './replay-stream.js';
import { chunksDurationMs, chunksToWav } from './wav.js';

/**
 * One spoken line as it arrives: its start, then its media streams, then its end. Each stream
 * can be iterated any number of times, from its first item, and ends with the performance.
 */
export class Performance {
  readonly id: string;
  readonly npcId: string;
  readonly audio = new ReplayStream<AudioChunk>();
  readonly phonemes = new ReplayStream<PhonemeEvents>();
  readonly visemes = new ReplayStream<VisemeEvents>();
  readonly face = new ReplayStream<FaceFrames>();
  /** The face stream decoded as it arrives: `face.weightsAt(audioMs)` gives the 52 ARKit weights. */
  readonly facePlayer = new FacePlayer();
  readonly cues = new ReplayStream<Cue>();
  /** The line's text clause by clause, each stamped on the performance clock: for subtitles. */
  readonly subtitles = new ReplayStream<Subtitle>();
  /** Resolves with PerformanceEnd (completed, interrupted or failed); nothing follows it. */
  readonly ended: Promise<PerformanceEnd>;
  private finish!: (end: PerformanceEnd) => void;
  private endMessage: PerformanceEnd | undefined;
  private dropNotice: MediaDropped | undefined;
  /** Opus audio is decoded to PCM16 as it arrives, chunk after chunk; `audio` yields the PCM. */
  private readonly opus: OpusDecoder | undefined;
  private decoding: Promise<void> = Promise.resolve();
  private closing = false;

  constructor(readonly start: PerformanceStart) {
    this.id = start.performanceId;
    this.npcId = start.npcId;
    this.ended = new Promise((resolve) => {
      this.finish = resolve;
    });
    if (start.encoding === AudioEncoding.OPUS) this.opus = new OpusDecoder(start.sampleRate);
  }

  /** Set when the server stopped sending this line's media to this client (it read too slowly). */
  get dropped(): MediaDropped | undefined {
    return this.dropNotice;
  }

  /** The line's text: whole from the start, or, for a line written while spoken, what has arrived. */
  get text(): string {
    return (
      this.start.text ||
      this.subtitles
        .snapshot()
        .map((s) => s.text)
        .join(' ')
    );
  }

  /** The request that started it (a Say or a PlayerLine of this client); '' otherwise. */
  get requestId(): string {
    return this.start.requestId;
  }

  /** The subtitle to show at `ms` on the performance clock, if any. */
  subtitleAt(ms: number): Subtitle | undefined {
    return this.subtitles.snapshot().find((s) => s.startMs <= ms && ms < s.endMs);
  }

  /** The line's emotion, e.g. `joy`; undefined when none was given or it is not known yet. */
  get emotion(): EmotionName | undefined {
    return EMOTION.fromWire(this.start.emotion);
  }

  /** The end message once the performance is over. */
  get end(): PerformanceEnd | undefined {
    return this.endMessage;
  }

  /** Audio received so far as a WAV file (PCM16 mono at the performance's sample rate). */
  toWav(): Uint8Array {
    return chunksToWav(this.audio.snapshot());
  }

  /** Waits for the end, then returns the whole line as a WAV file. */
  async wav(): Promise<Uint8Array> {
    await this.ended;
    return this.toWav();
  }

  /** Audio received so far, ms. */
  get receivedMs(): number {
    return chunksDurationMs(this.audio.snapshot());
  }

  /** @internal Called by the scene for every message of this performance. */
  receive(
    kind: 'audio' | 'subtitle' | 'phonemes' | 'visemes' | 'face' | 'cue' | 'performanceEnd',
    value: AudioChunk | Subtitle | PhonemeEvents | VisemeEvents | FaceFrames | Cue | PerformanceEnd,
  ): void {
    if (this.endMessage || this.closing) return;
    if (kind === 'audio') this.receiveAudio(value as AudioChunk);
    else if (kind === 'subtitle') this.subtitles.push(value as Subtitle);
    else if (kind === 'phonemes') this.phonemes.push(value as PhonemeEvents);
    else if (kind === 'visemes') this.visemes.push(value as VisemeEvents);
    else if (kind === 'face') {
      this.face.push(value as FaceFrames);
      this.facePlayer.push(value as FaceFrames);
    } else if (kind === 'cue') this.cues.push(value as Cue);
    else this.afterDecoding(() => this.close(value as PerformanceEnd));
  }

  /** @internal The server dropped this line's media for this client; its end still follows. */
  drop(notice: MediaDropped): void {
    this.dropNotice = notice;
  }

  private receiveAudio(chunk: AudioChunk): void {
    const opus = this.opus;
    if (!opus) {
      this.audio.push(chunk);
      return;
    }
    this.afterDecoding(async () => {
      const pcm = await opus.decode(chunk.opus);
      this.audio.push({ ...chunk, pcm });
    });
  }

  /** Runs `work` once every Opus chunk before it is decoded, so the audio keeps its order. */
  private afterDecoding(work: () => void | Promise<void>): void {
    if (!this.opus) {
      void work();
      return;
    }
    this.decoding = this.decoding.then(work).catch((e: unknown) => {
      this.closing = true;
      const message = `could not decode Opus audio: ${e instanceof Error ? e.message : String(e)}`;
      this.close(
        create(PerformanceEndSchema, { performanceId: this.id, npcId: this.npcId, reason: EndReason.FAILED, message }),
      );
    });
  }

  /** @internal Ends the performance (its end arrived, or the scene was left). */
  close(end: PerformanceEnd): void {
    if (this.endMessage) return;
    this.endMessage = end;
    this.opus?.close();
    for (const s of [this.audio, this.subtitles, this.phonemes, this.visemes, this.face, this.cues]) s.close();
    this.finish(end);
  }
}
