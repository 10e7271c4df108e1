import {
  ARKIT_BLENDSHAPES,
  applyRigProfile,
  BLENDSHAPE_COUNT,
  type BlendshapeName,
  type DecodedFaceFrame,
  FaceDecoder,
  type FaceFrames,
  type RigProfile,
} from '@stagecraft/protocol';

/**
 * Plays a performance's face stream against its audio: feed it every FaceFrames message in
 * order, then ask for the weights at the audio playback position. Weights between two frames
 * are interpolated linearly, so the face follows the audio clock, not the frame clock.
 */
export class FacePlayer {
  private readonly decoder = new FaceDecoder();
  private readonly frames: DecodedFaceFrame[] = [];

  /** Adds one FaceFrames message (in the order received). */
  push(message: FaceFrames): void {
    for (const f of this.decoder.decode(message)) {
      const last = this.frames[this.frames.length - 1];
      if (last && f.tMs <= last.tMs) continue;
      this.frames.push(f);
    }
  }

  /** Decoded frames so far, oldest first. */
  get frameCount(): number {
    return this.frames.length;
  }

  /** Time span covered by the frames received, ms on the performance clock; [0, 0] before any. */
  get coveredMs(): [number, number] {
    const first = this.frames[0];
    const last = this.frames[this.frames.length - 1];
    return first && last ? [first.tMs, last.tMs] : [0, 0];
  }

  /**
   * The 52 ARKit weights (0..1, order of ARKIT_BLENDSHAPES) at `ms` on the performance clock,
   * e.g. the audio playback position. Before the first frame: the first frame; after the last:
   * the last; before any frame arrived: all zeros. Writes into `out` when given.
   */
  weightsAt(ms: number, out = new Float32Array(BLENDSHAPE_COUNT)): Float32Array {
    const n = this.frames.length;
    if (n === 0) return out.fill(0);
    const hi = this.indexAfter(ms);
    const b = this.frames[Math.min(hi, n - 1)] as DecodedFaceFrame;
    const a = this.frames[Math.max(hi - 1, 0)] as DecodedFaceFrame;
    const span = b.tMs - a.tMs;
    const t = span > 0 ? Math.min(1, Math.max(0, (ms - a.tMs) / span)) : 0;
    for (let i = 0; i < BLENDSHAPE_COUNT; i++) {
      const wa = a.weights[i] ?? 0;
      out[i] = wa + ((b.weights[i] ?? 0) - wa) * t;
    }
    return out;
  }

  /** The weights at `ms` by blendshape name. */
  namedWeightsAt(ms: number): Record<BlendshapeName, number> {
    const w = this.weightsAt(ms);
    return Object.fromEntries(ARKIT_BLENDSHAPES.map((name, i) => [name, w[i] ?? 0])) as Record<BlendshapeName, number>;
  }

  /**
   * The rig's curve values at `ms`: e.g. `curvesAt(ms, RIG_PROFILES.metahuman)` gives MetaHuman's
   * `CTRL_expressions_*` curves. The server already applied the cast member's expressiveness.
   */
  curvesAt(ms: number, profile: RigProfile): Record<string, number> {
    return applyRigProfile(this.weightsAt(ms), profile);
  }

  /** Index of the first frame later than `ms` (binary search). */
  private indexAfter(ms: number): number {
    let lo = 0;
    let hi = this.frames.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.frames[mid]?.tMs ?? 0) <= ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
