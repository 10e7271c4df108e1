import { describe, expect, it } from '@jest/globals';
import { BLENDSHAPE_INDEX, FaceDecoder } from '@stagecraft/protocol';
import { generateFace } from '../face/face-timeline.js';
import type { AudioFrame, FaceFrame } from '../media/frames.js';
import { collect, fromArray, stageContext } from './test-support/stage-harness.js';
import { twoClauseLine as line } from './test-support/two-clause-line.js';
import { type FaceSettings, toFace } from './to-face.js';

const FACE: FaceSettings = { fps: 30, emotion: 'joy', intensity: 0.7, expressiveness: 1, seed: 7 };

describe('toFace', () => {
  it('sends the face for every instant before the audio chunk that plays it, covering all the audio', async () => {
    const { frames } = line();
    const out = await collect(toFace(fromArray(frames), { ...stageContext(), face: FACE }));
    const decoder = new FaceDecoder();
    let faceUntilMs = -1;
    for (const f of out) {
      if (f.kind === 'face') {
        const decoded = decoder.decode(f);
        faceUntilMs = decoded[decoded.length - 1]?.tMs ?? faceUntilMs;
      }
      if (f.kind === 'audio') expect(faceUntilMs).toBeGreaterThanOrEqual(f.startMs + f.durationMs);
    }
    expect(faceUntilMs).toBeGreaterThanOrEqual(1660);
    const audio = out.filter((f): f is AudioFrame => f.kind === 'audio');
    expect(audio.map((a) => a.seq)).toEqual(audio.map((_, i) => i));
  });

  it('packs batches of 200 ms with a keyframe first and about every second', async () => {
    const out = await collect(toFace(fromArray(line().frames), { ...stageContext(), face: FACE }));
    const face = out.filter((f): f is FaceFrame => f.kind === 'face');
    expect(face[0]?.keyframe).toBe(true);
    expect(face[0]?.firstFrame).toBe(0);
    for (let i = 1; i < face.length; i++)
      expect(face[i]?.firstFrame).toBe((face[i - 1]?.firstFrame ?? 0) + (face[i - 1]?.count ?? 0));
    expect(face.filter((f) => f.count === 6).length).toBeGreaterThanOrEqual(face.length - 3);
    const keys = face.filter((f) => f.keyframe).map((f) => f.firstFrame);
    for (let i = 1; i < keys.length; i++) expect((keys[i] ?? 0) - (keys[i - 1] ?? 0)).toBeLessThanOrEqual(30 + 6); // at the first message start a second or more after the last
    expect(keys.length).toBeGreaterThanOrEqual(2);
  });

  it('decodes to the one-shot face of the whole line within one quantization step, lips closed at each PP', async () => {
    const { frames, clauses, endMs } = line();
    const out = await collect(toFace(fromArray(frames), { ...stageContext(), face: FACE }));
    const decoder = new FaceDecoder();
    const decoded = out.flatMap((f) => (f.kind === 'face' ? decoder.decode(f) : []));
    const whole = generateFace({
      ...FACE,
      visemes: clauses.flat(),
      emotions: [{ startMs: 0, endMs: 24 * 3600 * 1000, value: { emotion: 'joy', intensity: 0.7 } }],
      durationMs: endMs + 1000 / 30,
    });
    expect(decoded.length).toBe(whole.frames.length);
    decoded.forEach((d, i) => {
      const w = whole.frames[i]?.weights ?? new Float32Array();
      for (let k = 0; k < w.length; k++)
        expect(Math.abs((d.weights[k] ?? 0) - (w[k] ?? 0))).toBeLessThanOrEqual(1 / 255 + 1e-6);
    });
    for (const pp of clauses.flat().filter((v) => v.value === 'PP')) {
      const mid = (pp.startMs + pp.endMs) / 2;
      const nearest = decoded.reduce((a, b) => (Math.abs(b.tMs - mid) < Math.abs(a.tMs - mid) ? b : a));
      expect(nearest.weights[BLENDSHAPE_INDEX.jawOpen]).toBeLessThan(0.1);
      const press = Math.max(
        nearest.weights[BLENDSHAPE_INDEX.mouthClose] ?? 0,
        nearest.weights[BLENDSHAPE_INDEX.mouthPressLeft] ?? 0,
      );
      expect(press).toBeGreaterThan(0.3);
    }
  });
});
