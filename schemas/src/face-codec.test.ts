import fc from 'fast-check';
import { BLENDSHAPE_COUNT } from './blendshapes.js';
import { FACE_MAX_ERROR, FaceDecodeError, FaceDecoder, FaceEncoder } from './face-codec.js';

const frameArb = fc.array(fc.float({ min: 0, max: 1, noNaN: true }), {
  minLength: BLENDSHAPE_COUNT,
  maxLength: BLENDSHAPE_COUNT,
});

describe('face codec', () => {
  it('reconstructs every weight within one quantization step, across messages and keyframes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(frameArb, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 }),
        (messages) => {
          const encoder = new FaceEncoder({ fps: 30 });
          const decoder = new FaceDecoder();
          let first = 0;
          messages.forEach((frames, m) => {
            const packed = encoder.encode(frames, first, m % 3 === 2);
            const decoded = decoder.decode(packed);
            expect(decoded).toHaveLength(frames.length);
            decoded.forEach((d, k) => {
              expect(d.tMs).toBeCloseTo(((first + k) * 1000) / 30, 9);
              for (let i = 0; i < BLENDSHAPE_COUNT; i++)
                expect(Math.abs((d.weights[i] ?? 0) - (frames[k]?.[i] ?? 0))).toBeLessThanOrEqual(
                  FACE_MAX_ERROR + 1e-6,
                );
            });
            first += frames.length;
          });
        },
      ),
    );
  });

  it('costs one byte for a frame where nothing moved, and lists a few changes by index', () => {
    const encoder = new FaceEncoder({ fps: 30 });
    const still = new Float32Array(BLENDSHAPE_COUNT).fill(0.2);
    const moved = Float32Array.from(still);
    moved[17] = 0.8;
    const packed = encoder.encode([still, still, moved], 0);
    expect(packed.keyframe).toBe(true);
    expect(packed.data.length).toBe(BLENDSHAPE_COUNT + 1 + 3);
  });

  it('uses a bitmask when many weights change', () => {
    const encoder = new FaceEncoder({ fps: 60 });
    const a = new Float32Array(BLENDSHAPE_COUNT);
    const b = new Float32Array(BLENDSHAPE_COUNT).fill(1);
    const packed = encoder.encode([a, b], 10);
    expect(packed.data.length).toBe(BLENDSHAPE_COUNT + 1 + 7 + BLENDSHAPE_COUNT);
    const [, second] = new FaceDecoder().decode(packed);
    expect(Array.from(second?.weights ?? [])).toEqual(new Array(BLENDSHAPE_COUNT).fill(1));
    expect(second?.tMs).toBeCloseTo(11000 / 60, 9);
  });

  it('waits for a keyframe when it starts mid-stream', () => {
    const encoder = new FaceEncoder({ fps: 30 });
    const f = new Float32Array(BLENDSHAPE_COUNT).fill(0.5);
    encoder.encode([f], 0);
    const decoder = new FaceDecoder();
    expect(decoder.decode(encoder.encode([f], 1))).toEqual([]);
    expect(decoder.decode(encoder.encode([f], 2, true))).toHaveLength(1);
    expect(decoder.ready).toBe(true);
  });

  it('rejects frames of the wrong size and payloads that do not follow the packing', () => {
    expect(() => new FaceEncoder({ fps: 30 }).encode([new Float32Array(10)], 0)).toThrow(/has 10 weights, expected 52/);
    expect(() => new FaceEncoder({ fps: 0 })).toThrow(RangeError);
    const decoder = new FaceDecoder();
    expect(() => decoder.decode({ fps: 30, firstFrame: 0, count: 1, keyframe: true, data: new Uint8Array(5) })).toThrow(
      FaceDecodeError,
    );
    decoder.decode({ fps: 30, firstFrame: 0, count: 1, keyframe: true, data: new Uint8Array(BLENDSHAPE_COUNT) });
    expect(() =>
      decoder.decode({ fps: 30, firstFrame: 1, count: 1, keyframe: false, data: Uint8Array.of(1, 60, 3) }),
    ).toThrow(/index 60 out of range/);
    expect(() =>
      decoder.decode({ fps: 30, firstFrame: 1, count: 1, keyframe: false, data: Uint8Array.of(200) }),
    ).toThrow(/bad delta header 200/);
    expect(() =>
      decoder.decode({ fps: 30, firstFrame: 1, count: 1, keyframe: false, data: Uint8Array.of(0, 0) }),
    ).toThrow(/1 bytes left/);
  });
});
