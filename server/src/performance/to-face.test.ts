import { describe, expect, it } from '@jest/globals';
import { BLENDSHAPE_INDEX, FaceDecoder } from '@stagecraft/protocol';
import { generateFace } from '../face/face-timeline.js';
import type { AudioFrame, FaceFrame, PerformanceFrame, Viseme, VisemeEvent } from './frames.js';
import { collect, fromArray, stageContext } from './test-support/stage-harness.js';
import { type FaceSettings, toFace } from './to-face.js';

const FACE: FaceSettings = { fps: 30, emotion: 'joy', intensity: 0.7, expressiveness: 1, seed: 7 };

/** Visemes of equal length over [fromMs, toMs). */
function visemes(fromMs: number, toMs: number, names: Viseme[]): VisemeEvent[] {
  const step = (toMs - fromMs) / names.length;
  return names.map((value, i) => ({ startMs: fromMs + i * step, endMs: fromMs + (i + 1) * step, value, weight: 1 }));
}

/** A two-clause line as the stages before toFace emit it: per clause its visemes, then 20 ms chunks. */
function line(): { frames: PerformanceFrame[]; clauses: VisemeEvent[][]; endMs: number } {
  const clauses = [
    visemes(0, 900, ['sil', 'aa', 'PP', 'aa', 'SS', 'E', 'nn', 'sil']),
    visemes(900, 1660, ['sil', 'oh', 'PP', 'ou', 'kk', 'aa', 'sil']),
  ];
  const frames: PerformanceFrame[] = [];
  let seq = 0;
  let at = 0;
  for (const clause of clauses) {
    frames.push({ kind: 'visemes', performanceId: 'p1', visemes: clause });
    const end = clause[clause.length - 1]?.endMs ?? 0;
    for (; at < end; at += 20)
      frames.push({
        kind: 'audio',
        performanceId: 'p1',
        seq: seq++,
        startMs: at,
        durationMs: 20,
        sampleRate: 22050,
        pcm: new Int16Array(441),
        final: at + 20 >= 1660,
      });
  }
  return { frames, clauses, endMs: 1660 };
}

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

describe('toFace cues', () => {
  it('sends a greeting nod with the first clause and a requested gesture on the stressed clause', async () => {
    const { frames } = line();
    const texts = ['Well met, traveller,', 'welcome to the FLAGON!'];
    let k = 0;
    const withText = frames.map((f) => (f.kind === 'visemes' ? { ...f, clause: texts[k++] } : f));
    const face = { ...FACE, intent: 'greet' as const, gesture: 'wave' as const };
    const out = await collect(toFace(fromArray(withText), { ...stageContext(), face }));
    const cues = out.filter((f) => f.kind === 'cue');
    expect(cues.map((c) => c.kind === 'cue' && c.cue)).toEqual(expect.arrayContaining(['nod', 'wave']));
    const nodAt = out.findIndex((f) => f.kind === 'cue' && f.cue === 'nod');
    const firstAudio = out.findIndex((f) => f.kind === 'audio');
    expect(nodAt).toBeLessThan(firstAudio);
    const wave = cues.find((c) => c.kind === 'cue' && c.cue === 'wave');
    expect(wave?.kind === 'cue' && wave.startMs).toBeGreaterThan(700);
  });

  it('sends the cues that hang on the end of the line once it ends', async () => {
    const { frames } = line();
    const withText = frames.map((f) => (f.kind === 'visemes' ? { ...f, clause: 'Farewell, friend' } : f));
    const out = await collect(
      toFace(fromArray(withText), { ...stageContext(), face: { ...FACE, intent: 'farewell' } }),
    );
    const nods = out.filter((f) => f.kind === 'cue' && f.cue === 'nod');
    expect(nods).toHaveLength(1);
    expect(nods[0]?.kind === 'cue' && nods[0].startMs).toBeGreaterThan(1000);
  });
});
