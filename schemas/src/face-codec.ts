import { BLENDSHAPE_COUNT } from './blendshapes.js';

// The packing of FaceFrames.data (see performance.proto): quantized weights, a keyframe first
// when the message starts one, then delta frames that carry only the weights that changed.

/** Header byte of a delta frame whose changed indices follow as a bitmask. */
const MASK_HEADER = 255;
const MASK_BYTES = Math.ceil(BLENDSHAPE_COUNT / 8);
/** Up to this many changes an index list (1 + 2n bytes) is shorter than a mask (1 + 7 + n). */
const MAX_LISTED = MASK_BYTES - 1;

/** Largest reconstruction error the encoder allows per weight by default: one quantization step. */
export const FACE_MAX_ERROR = 1 / 255;

/** Weight 0..1 → byte, clamped. */
export function quantizeWeight(w: number): number {
  return w <= 0 || Number.isNaN(w) ? 0 : w >= 1 ? 255 : Math.round(w * 255);
}

/** The fields of one FaceFrames message, as the codec produces and reads them. */
export interface PackedFaceFrames {
  fps: number;
  firstFrame: number;
  count: number;
  keyframe: boolean;
  data: Uint8Array;
}

/** One decoded frame: its time on the performance clock and 52 weights 0..1. */
export interface DecodedFaceFrame {
  tMs: number;
  weights: Float32Array;
}

export interface FaceEncoderOptions {
  fps: number;
  /** A weight is resent once the receiver's copy is off by more than this. Default 1/255. */
  maxError?: number;
}

/**
 * Packs frames of 52 weights into FaceFrames payloads. It keeps what the receiver holds, so a
 * weight is sent only when the receiver's copy would be off by more than `maxError`: an idle
 * face costs about one byte a frame.
 */
export class FaceEncoder {
  readonly fps: number;
  private readonly maxError: number;
  private readonly held = new Uint8Array(BLENDSHAPE_COUNT);
  private started = false;

  constructor(options: FaceEncoderOptions) {
    if (!(options.fps > 0)) throw new RangeError(`face fps must be > 0, got ${options.fps}`);
    this.fps = options.fps;
    this.maxError = options.maxError ?? FACE_MAX_ERROR;
  }

  /**
   * Packs `frames` (each 52 weights) as frames firstFrame, firstFrame + 1, …. The first message
   * is always a keyframe; pass `keyframe` to force one (periodic keyframes let a late reader start).
   */
  encode(frames: readonly ArrayLike<number>[], firstFrame: number, keyframe = false): PackedFaceFrames {
    const out: number[] = [];
    const key = keyframe || !this.started;
    frames.forEach((weights, k) => {
      if (weights.length !== BLENDSHAPE_COUNT)
        throw new RangeError(
          `face frame ${firstFrame + k} has ${weights.length} weights, expected ${BLENDSHAPE_COUNT}`,
        );
      if (k === 0 && key) this.writeKeyframe(weights, out);
      else this.writeDelta(weights, out);
    });
    this.started ||= frames.length > 0;
    return {
      fps: this.fps,
      firstFrame,
      count: frames.length,
      keyframe: key && frames.length > 0,
      data: Uint8Array.from(out),
    };
  }

  private writeKeyframe(weights: ArrayLike<number>, out: number[]): void {
    for (let i = 0; i < BLENDSHAPE_COUNT; i++) {
      const q = quantizeWeight(weights[i] ?? 0);
      this.held[i] = q;
      out.push(q);
    }
  }

  private writeDelta(weights: ArrayLike<number>, out: number[]): void {
    const changed: number[] = [];
    for (let i = 0; i < BLENDSHAPE_COUNT; i++) {
      const w = weights[i] ?? 0;
      const held = this.held[i] ?? 0;
      if (Math.abs(w - held / 255) > this.maxError) {
        const q = quantizeWeight(w);
        if (q !== held) {
          this.held[i] = q;
          changed.push(i);
        }
      }
    }
    if (changed.length <= MAX_LISTED) {
      out.push(changed.length, ...changed);
    } else {
      const mask = new Array<number>(MASK_BYTES).fill(0);
      for (const i of changed) mask[i >> 3] = (mask[i >> 3] ?? 0) | (1 << (i & 7));
      out.push(MASK_HEADER, ...mask);
    }
    for (const i of changed) out.push(this.held[i] ?? 0);
  }
}

/** Thrown for a FaceFrames payload that does not follow the packing. */
export class FaceDecodeError extends Error {
  constructor(message: string) {
    super(`FaceFrames: ${message}`);
    this.name = 'FaceDecodeError';
  }
}

/** Unpacks FaceFrames payloads in order; holds the current weights between messages. */
export class FaceDecoder {
  private readonly held = new Uint8Array(BLENDSHAPE_COUNT);
  private started = false;

  /** True once a keyframe has been read. */
  get ready(): boolean {
    return this.started;
  }

  /**
   * Decodes one message. Returns no frames for a delta message read before any keyframe (a
   * reader that joined mid-stream waits for the next keyframe).
   */
  decode(message: PackedFaceFrames): DecodedFaceFrame[] {
    if (!message.keyframe && !this.started) return [];
    const { data } = message;
    const frames: DecodedFaceFrame[] = [];
    let at = 0;
    const need = (n: number, what: string) => {
      if (at + n > data.length)
        throw new FaceDecodeError(`frame ${message.firstFrame + frames.length}: ${what} runs past the end of data`);
    };
    for (let k = 0; k < message.count; k++) {
      if (k === 0 && message.keyframe) {
        need(BLENDSHAPE_COUNT, 'keyframe');
        this.held.set(data.subarray(at, at + BLENDSHAPE_COUNT));
        at += BLENDSHAPE_COUNT;
        this.started = true;
      } else {
        need(1, 'header');
        const header = data[at++] ?? 0;
        const indices: number[] = [];
        if (header === MASK_HEADER) {
          need(MASK_BYTES, 'mask');
          for (let i = 0; i < BLENDSHAPE_COUNT; i++) if (((data[at + (i >> 3)] ?? 0) >> (i & 7)) & 1) indices.push(i);
          at += MASK_BYTES;
        } else if (header <= BLENDSHAPE_COUNT) {
          need(header, 'index list');
          for (let j = 0; j < header; j++) {
            const i = data[at++] ?? 0;
            if (i >= BLENDSHAPE_COUNT) throw new FaceDecodeError(`blendshape index ${i} out of range`);
            indices.push(i);
          }
        } else throw new FaceDecodeError(`bad delta header ${header}`);
        need(indices.length, 'weights');
        for (const i of indices) this.held[i] = data[at++] ?? 0;
      }
      const weights = new Float32Array(BLENDSHAPE_COUNT);
      for (let i = 0; i < BLENDSHAPE_COUNT; i++) weights[i] = (this.held[i] ?? 0) / 255;
      frames.push({ tMs: ((message.firstFrame + k) * 1000) / message.fps, weights });
    }
    if (at !== data.length) throw new FaceDecodeError(`${data.length - at} bytes left after ${message.count} frames`);
    return frames;
  }
}
