import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ARKIT_BLENDSHAPES, BLENDSHAPE_INDEX } from './blendshapes.js';
import { Blendshape, Viseme, VisemeSchema } from './gen/stagecraft/v1/performance_pb.js';
import { CueKind, Emotion, Gesture, PacingMode, Tier } from './gen/stagecraft/v1/vocabulary_pb.js';
import {
  CUE_KIND,
  CUE_KINDS,
  EMOTION,
  EMOTIONS,
  GESTURE,
  GESTURES,
  INTENTS,
  OUTCOMES,
  PACING_MODE,
  PACING_MODES,
  STANCES,
  TIER,
  TIERS,
  VISEMES,
} from './vocabulary.js';

const schema = (name: string) => JSON.parse(readFileSync(new URL(`../${name}`, import.meta.url), 'utf8'));

/** Every `enum` list in a JSON Schema, wherever it sits. */
function enumsIn(value: unknown, out: string[][] = []): string[][] {
  if (Array.isArray(value)) for (const v of value) enumsIn(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'enum' && Array.isArray(v)) out.push(v.map(String));
      else enumsIn(v, out);
    }
  }
  return out;
}

describe('closed vocabularies', () => {
  it('take their words from the generated enums, in wire order', () => {
    expect(TIERS).toEqual(['gold', 'silver', 'bronze']);
    expect(EMOTIONS).toEqual(['neutral', 'joy', 'sadness', 'anger', 'fear', 'surprise', 'disgust']);
    expect(GESTURES).toEqual(['none', 'nod', 'head_shake', 'shrug', 'lean_in', 'point', 'wave']);
    expect(INTENTS).toEqual(['inform', 'greet', 'ask', 'refuse', 'agree', 'threaten', 'comfort', 'farewell']);
    expect(CUE_KINDS).toEqual([
      'nod',
      'head_shake',
      'shrug',
      'lean_in',
      'point',
      'wave',
      'gesture_start',
      'gesture_stop',
    ]);
    expect(PACING_MODES).toEqual(['buildUp', 'sustainPeak', 'peakFade', 'relax']);
    expect(OUTCOMES).toEqual(['win', 'lose', 'draw']);
  });

  it('convert words to enum values and back', () => {
    expect(TIER.toWire('bronze')).toBe(Tier.BRONZE);
    expect(EMOTION.toWire('joy')).toBe(Emotion.JOY);
    expect(GESTURE.fromWire(Gesture.HEAD_SHAKE)).toBe('head_shake');
    expect(CUE_KIND.fromWire(CueKind.GESTURE_STOP)).toBe('gesture_stop');
    expect(PACING_MODE.toWire('sustainPeak')).toBe(PacingMode.SUSTAIN_PEAK);
    for (const word of EMOTIONS) expect(EMOTION.fromWire(EMOTION.toWire(word))).toBe(word);
  });

  it('leave the zero value and unknown numbers without a word, and refuse unknown words', () => {
    expect(EMOTION.fromWire(Emotion.UNSPECIFIED)).toBeUndefined();
    expect(EMOTION.fromWire(99)).toBeUndefined();
    expect(EMOTION.has('joy')).toBe(true);
    expect(EMOTION.has('Joy')).toBe(false);
    expect(() => EMOTION.toWire('glee' as never)).toThrow('"glee" is not a word of stagecraft.v1.Emotion');
  });

  it('spell the visemes as OVR does, index for index with the Viseme enum', () => {
    const names = VisemeSchema.values.map((v) => v.localName.toLowerCase());
    expect(VISEMES.map((v) => v.toLowerCase())).toEqual(names);
    expect(VISEMES[Viseme.PP]).toBe('PP');
    expect(VISEMES[Viseme.KK]).toBe('kk');
  });

  it('give the ARKit-52 order from the Blendshape enum', () => {
    expect(ARKIT_BLENDSHAPES).toHaveLength(52);
    expect(ARKIT_BLENDSHAPES[0]).toBe('eyeBlinkLeft');
    expect(BLENDSHAPE_INDEX.jawOpen).toBe(Blendshape.JAW_OPEN);
    expect(BLENDSHAPE_INDEX.jawOpen).toBe(17);
    expect(ARKIT_BLENDSHAPES[51]).toBe('tongueOut');
  });

  it('are the lists the JSON Schemas of designer files allow', () => {
    const lists = [
      ...enumsIn(schema('scene.schema.json')),
      ...enumsIn(schema('persona.schema.json')),
      ...enumsIn(schema('constraint-pack.schema.json')),
    ];
    const has = (words: readonly string[]) => lists.some((l) => JSON.stringify(l) === JSON.stringify(words));
    for (const words of [TIERS, STANCES, EMOTIONS, GESTURES, INTENTS, OUTCOMES]) expect(has(words)).toBe(true);
  });
});
