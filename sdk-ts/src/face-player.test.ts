import {
  BLENDSHAPE_COUNT,
  BLENDSHAPE_INDEX,
  create,
  FaceEncoder,
  FaceFramesSchema,
  RIG_PROFILES,
} from '@stagecraft/protocol';
import { FacePlayer } from './face-player.js';

const JAW = BLENDSHAPE_INDEX.jawOpen;

function ramp(frames: number): Float32Array[] {
  return Array.from({ length: frames }, (_, k) => {
    const w = new Float32Array(BLENDSHAPE_COUNT);
    w[JAW] = k / (frames - 1);
    return w;
  });
}

function feed(player: FacePlayer, frames: Float32Array[], fps: number, perMessage: number): void {
  const encoder = new FaceEncoder({ fps });
  for (let first = 0; first < frames.length; first += perMessage) {
    const packed = encoder.encode(frames.slice(first, first + perMessage), first);
    player.push(create(FaceFramesSchema, { performanceId: 'p', ...packed }));
  }
}

describe('FacePlayer', () => {
  it('interpolates between frames at the audio position', () => {
    const player = new FacePlayer();
    feed(player, ramp(31), 30, 6);
    expect(player.frameCount).toBe(31);
    expect(player.coveredMs).toEqual([0, 1000]);
    // Half-way between frame 3 (100 ms) and frame 4 (133.3 ms).
    expect(player.weightsAt(116.6667)[JAW]).toBeCloseTo(3.5 / 30, 2);
    expect(player.namedWeightsAt(500).jawOpen).toBeCloseTo(0.5, 2);
  });

  it('holds the first frame before it and the last after it; zeros before any frame', () => {
    const player = new FacePlayer();
    expect(Array.from(player.weightsAt(10))).toEqual(new Array(BLENDSHAPE_COUNT).fill(0));
    feed(player, ramp(4), 30, 2);
    expect(player.weightsAt(-50)[JAW]).toBe(0);
    expect(player.weightsAt(5000)[JAW]).toBe(1);
  });
});

describe('FacePlayer with a rig profile', () => {
  it('gives MetaHuman curve values for the weights at an instant', () => {
    const player = new FacePlayer();
    feed(player, ramp(31), 30, 6);
    const curves = player.curvesAt(500, RIG_PROFILES.metahuman);
    expect(curves.CTRL_expressions_jawOpen).toBeCloseTo(0.5, 2);
    expect(Object.keys(curves).every((k) => k.startsWith('CTRL_expressions_'))).toBe(true);
  });
});
