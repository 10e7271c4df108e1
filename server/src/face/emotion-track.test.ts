import { describe, expect, it } from '@jest/globals';
import { type BlendshapeName, EMOTIONS, type EmotionName, type VisemeName } from '@stagecraft/protocol';
import { AU_COUNT, AU_INDEX } from './action-units.js';
import { EMOTION_EASE_MS, emotionAus } from './emotion-track.js';
import { generateFace } from './face-timeline.js';
import { frameAt, mean, visemeLine, w } from './test-support/face-fixtures.js';

const SYLLABLES: VisemeName[] = ['aa', 'PP', 'E', 'SS', 'ou', 'DD'];
const SPEECH = visemeLine(
  Array.from({ length: 20 }, (_, i): [VisemeName, number] => [SYLLABLES[i % 6] ?? 'sil', 120]),
  400,
);

function face(emotion: EmotionName, speaking: boolean) {
  return generateFace({
    visemes: speaking ? SPEECH : [],
    emotions: [{ startMs: 0, endMs: 3000, value: { emotion, intensity: 1 } }],
    durationMs: 3000,
    fps: 30,
    seed: 11,
  }).frames;
}

/** What each emotion must visibly raise above neutral, silent and while speaking. */
const SIGNATURES: Record<Exclude<EmotionName, 'neutral'>, { always: BlendshapeName[]; silent: BlendshapeName[] }> = {
  joy: { always: ['mouthSmileLeft', 'mouthSmileRight', 'cheekSquintLeft'], silent: [] },
  sadness: { always: ['browInnerUp', 'mouthFrownLeft', 'mouthFrownRight'], silent: ['mouthShrugLower'] },
  anger: { always: ['browDownLeft', 'browDownRight', 'eyeSquintLeft'], silent: ['mouthPressLeft'] },
  fear: { always: ['browInnerUp', 'eyeWideLeft', 'mouthStretchLeft'], silent: ['jawOpen'] },
  surprise: { always: ['browInnerUp', 'browOuterUpLeft', 'eyeWideLeft'], silent: ['jawOpen'] },
  disgust: { always: ['noseSneerLeft', 'noseSneerRight', 'mouthFrownLeft'], silent: ['mouthUpperUpLeft'] },
};

describe('emotion track', () => {
  for (const speaking of [false, true]) {
    const neutral = face('neutral', speaking);
    for (const emotion of EMOTIONS.filter((e) => e !== 'neutral')) {
      it(`${emotion} moves its brows, eyes and mouth corners against neutral (${speaking ? 'speaking' : 'silent'})`, () => {
        const frames = face(emotion, speaking);
        const sig = SIGNATURES[emotion];
        const weak = [...sig.always, ...(speaking ? [] : sig.silent)]
          .map((name) => ({ name, lift: mean(frames, name, 600, 2400) - mean(neutral, name, 600, 2400) }))
          .filter((c) => !(c.lift > 0.1));
        expect(weak).toEqual([]);
      });
    }
  }

  it('lets speech own the jaw: surprise does not open the mouth at a bilabial', () => {
    const frames = face('surprise', true);
    const pp = SPEECH.filter((v) => v.value === 'PP');
    for (const v of pp) expect(w(frameAt(frames, 30, (v.startMs + v.endMs) / 2), 'jawOpen')).toBeLessThan(0.1);
  });

  it('eases from one emotion into the next around the boundary', () => {
    const times = Float64Array.from({ length: 200 }, (_, i) => i * 10);
    const track = emotionAus(
      [
        { startMs: 0, endMs: 1000, value: { emotion: 'joy', intensity: 1 } },
        { startMs: 1000, endMs: 2000, value: { emotion: 'anger', intensity: 1 } },
      ],
      times,
    );
    const smile = (ms: number) => track.values[(ms / 10) * AU_COUNT + AU_INDEX.AU12] as number;
    expect(smile(1000 - EMOTION_EASE_MS - 10)).toBeCloseTo(0.75);
    expect(smile(1000)).toBeCloseTo(0.375);
    expect(smile(1000 + EMOTION_EASE_MS)).toBe(0);
    let steepest = 0;
    for (let ms = 10; ms < 2000; ms += 10) steepest = Math.max(steepest, Math.abs(smile(ms) - smile(ms - 10)));
    expect(steepest).toBeLessThan(0.75 * (10 / EMOTION_EASE_MS));
  });

  it('treats time outside every span as neutral', () => {
    const track = emotionAus(
      [{ startMs: 1000, endMs: 2000, value: { emotion: 'sadness', intensity: 0.5 } }],
      Float64Array.of(0, 1500, 3000),
    );
    const inner = (i: number) => track.values[i * AU_COUNT + AU_INDEX.AU1];
    expect([inner(0), inner(2)]).toEqual([0, 0]);
    expect(inner(1)).toBeCloseTo(0.325);
  });
});
