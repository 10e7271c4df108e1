import { createRequire } from 'node:module';

/** The rate Opus audio is encoded at: one Opus supports, just above the voices' 22,050 Hz. */
export const OPUS_RATE = 24_000;
/** Every Opus packet holds this much audio, ms. */
export const OPUS_PACKET_MS = 20;
const PACKET_SAMPLES = (OPUS_RATE * OPUS_PACKET_MS) / 1000;
const OPUS_SET_COMPLEXITY = 4010;

interface Encoder {
  encode(pcm: Buffer, frameSize: number): Buffer;
  setBitrate(bitsPerSecond: number): void;
  encoderCTL(ctl: number, value: number): void;
  delete(): void;
}
interface Resampler {
  full(samples: Float32Array): Float32Array;
  destroy(): void;
}

// Both packages are CommonJS (WebAssembly builds of libopus and libsamplerate).
const require = createRequire(import.meta.url);
const OpusScript = require('opusscript') as { new (rate: number, channels: number, application: number): Encoder };
const { create } = require('@alexanderolsen/libsamplerate-js') as {
  create(channels: number, from: number, to: number, options: { converterType: number }): Promise<Resampler>;
};
const OPUS_APPLICATION_VOIP = 2048;
const OPUS_RESET_STATE = 4028;
// libsamplerate's fastest band-limited sinc: 6–10 ms per second of audio here, against 14–25 for
// the medium one; both keep what is above the new Nyquist frequency out.
const SINC_FASTEST = 2;

/**
 * Encoders and resamplers of lines that ended, kept for the next ones: making them costs tens of
 * ms of blocking WebAssembly set-up each, which twenty voices starting at once would pay together.
 */
const idleEncoders: Encoder[] = [];
const idleResamplers = new Map<number, Resampler[]>();
const POOL = 64;

export interface OpusSettings {
  /** Bits per second. */
  bitrate: number;
  /** 0–10: encoder CPU for quality. */
  complexity: number;
}

/**
 * Speech at 24 kbit/s at full complexity: measured on speech-like audio, this WebAssembly build
 * spent less CPU at complexity 10 (7–9 ms per second of audio) than at 5 (14–17 ms).
 */
export const DEFAULT_OPUS: OpusSettings = { bitrate: 24_000, complexity: 10 };

/** Opus packets covering `startMs` to `startMs + durationMs` of a performance. */
export interface OpusPackets {
  startMs: number;
  durationMs: number;
  packets: Uint8Array[];
}

/**
 * One performance's audio as Opus: resampled once to 24 kHz (band-limited, with the filter's
 * state carried from chunk to chunk) and encoded once in 20 ms packets, whatever the number of
 * clients that receive it. Samples short of a whole packet wait for the next chunk; the last
 * packet is padded with silence.
 */
export class OpusAudio {
  private pending = new Int16Array(0);
  private packetCount = 0;

  private constructor(
    private readonly encoder: Encoder,
    private readonly resampler: Resampler | undefined,
    private readonly sampleRate: number,
  ) {}

  static async open(sampleRate: number, settings: OpusSettings): Promise<OpusAudio> {
    const resampler =
      sampleRate === OPUS_RATE
        ? undefined
        : (idleResamplers.get(sampleRate)?.pop() ??
          (await create(1, sampleRate, OPUS_RATE, { converterType: SINC_FASTEST })));
    const encoder = idleEncoders.pop() ?? new OpusScript(OPUS_RATE, 1, OPUS_APPLICATION_VOIP);
    encoder.setBitrate(settings.bitrate);
    encoder.encoderCTL(OPUS_SET_COMPLEXITY, settings.complexity);
    return new OpusAudio(encoder, resampler, sampleRate);
  }

  /** Encodes the next chunk of PCM16 samples; `final` flushes what is left as a padded packet. */
  push(pcm: Int16Array, final: boolean): OpusPackets {
    const resampled = this.resampler ? toInt16(this.resampler.full(toFloat(pcm))) : pcm;
    const samples = concat(this.pending, resampled);
    const whole = final ? Math.ceil(samples.length / PACKET_SAMPLES) : Math.floor(samples.length / PACKET_SAMPLES);
    const startMs = this.packetCount * OPUS_PACKET_MS;
    const packets: Uint8Array[] = [];
    for (let i = 0; i < whole; i++) {
      const frame = new Int16Array(PACKET_SAMPLES);
      frame.set(samples.subarray(i * PACKET_SAMPLES, (i + 1) * PACKET_SAMPLES));
      const bytes = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
      // The encoder reuses its output buffer: copy each packet out.
      packets.push(Uint8Array.from(this.encoder.encode(bytes, PACKET_SAMPLES)));
    }
    this.pending = final ? new Int16Array(0) : samples.slice(whole * PACKET_SAMPLES);
    this.packetCount += whole;
    return { startMs, durationMs: whole * OPUS_PACKET_MS, packets };
  }

  /** Hands the encoder and resampler back for the next line, reset: nothing of this line is left in them. */
  close(): void {
    this.encoder.encoderCTL(OPUS_RESET_STATE, 0);
    if (idleEncoders.length < POOL) idleEncoders.push(this.encoder);
    else this.encoder.delete();
    const resampler = this.resampler;
    if (!resampler) return;
    // The filter's memory is flushed with silence, so the next line starts from none of this one.
    resampler.full(new Float32Array(256));
    const idle = idleResamplers.get(this.sampleRate) ?? [];
    idleResamplers.set(this.sampleRate, idle);
    if (idle.length < POOL) idle.push(resampler);
    else resampler.destroy();
  }
}

function toFloat(pcm: Int16Array): Float32Array {
  const out = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = (pcm[i] ?? 0) / 32768;
  return out;
}

function toInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++)
    out[i] = Math.max(-32768, Math.min(32767, Math.round((samples[i] ?? 0) * 32768)));
  return out;
}

function concat(a: Int16Array, b: Int16Array): Int16Array {
  if (a.length === 0) return b;
  const out = new Int16Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
