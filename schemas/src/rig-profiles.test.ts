import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ARKIT_BLENDSHAPES, BLENDSHAPE_COUNT, BLENDSHAPE_INDEX } from './blendshapes.js';
import {
  applyRigProfile,
  checkRigProfile,
  RIG_PROFILES,
  type RigProfile,
  rigCurveNames,
  scaleExpressiveness,
} from './rig-profiles.js';

/** MetaHuman face control curves this project drives (names as the MetaHuman face rig spells them). */
const METAHUMAN_CONTROLS = new Set(
  [
    'browDown',
    'browRaiseIn',
    'browRaiseOuter',
    'eyeBlink',
    'eyeCheekRaise',
    'eyeLookDown',
    'eyeLookLeft',
    'eyeLookRight',
    'eyeLookUp',
    'eyeSquintInner',
    'eyeWiden',
    'mouthCheekBlow',
    'mouthCornerDepress',
    'mouthCornerPull',
    'mouthDimple',
    'mouthLipsPress',
    'mouthLowerLipDepress',
    'mouthLowerLipRollIn',
    'mouthStretch',
    'mouthUpperLipRaise',
    'mouthUpperLipRollIn',
    'noseWrinkle',
  ]
    .flatMap((n) => [`${n}L`, `${n}R`])
    .concat(['jawFwd', 'jawLeft', 'jawRight', 'jawOpen', 'mouthLeft', 'mouthRight', 'tongueOut'])
    .concat(
      ['mouthLipsTogether', 'mouthFunnel', 'mouthLipsPurse', 'jawChinRaise'].flatMap((n) =>
        ['UL', 'UR', 'DL', 'DR'].map((q) => `${n}${q}`),
      ),
    )
    .map((n) => `CTRL_expressions_${n}`),
);

const frame = (values: Partial<Record<(typeof ARKIT_BLENDSHAPES)[number], number>>) => {
  const out = new Float32Array(BLENDSHAPE_COUNT);
  for (const [name, v] of Object.entries(values)) out[BLENDSHAPE_INDEX[name as keyof typeof BLENDSHAPE_INDEX]] = v;
  return out;
};

describe('rig profiles', () => {
  for (const profile of Object.values(RIG_PROFILES)) {
    it(`${profile.name} maps every ARKit blendshape to at least one curve`, () => {
      expect(() => checkRigProfile(profile)).not.toThrow();
      for (const name of ARKIT_BLENDSHAPES) expect(Object.keys(profile.curves[name]).length).toBeGreaterThan(0);
      const all = applyRigProfile(frame({}), profile);
      expect(Object.keys(all).sort()).toEqual(rigCurveNames(profile));
    });
  }

  it('drives MetaHuman face controls that exist, with gaze turned the right way', () => {
    const mh = RIG_PROFILES.metahuman;
    expect(rigCurveNames(mh).filter((c) => !METAHUMAN_CONTROLS.has(c))).toEqual([]);
    const out = applyRigProfile(
      frame({ jawOpen: 0.5, eyeLookOutLeft: 0.2, eyeLookInRight: 0.2, browInnerUp: 0.4 }),
      mh,
    );
    expect(out.CTRL_expressions_jawOpen).toBeCloseTo(0.5);
    expect(out.CTRL_expressions_eyeLookLeftL).toBeCloseTo(0.2);
    expect(out.CTRL_expressions_eyeLookLeftR).toBeCloseTo(0.2);
    expect(out.CTRL_expressions_eyeLookRightL).toBe(0);
    expect(out.CTRL_expressions_browRaiseInL).toBeCloseTo(0.4);
    expect(out.CTRL_expressions_browRaiseInR).toBeCloseTo(0.4);
  });

  it('names curves as ARKit and as Live Link do', () => {
    const weights = frame({ jawOpen: 0.3, eyeBlinkLeft: 1 });
    expect(applyRigProfile(weights, RIG_PROFILES.generic).jawOpen).toBeCloseTo(0.3);
    expect(applyRigProfile(weights, RIG_PROFILES.livelink).JawOpen).toBeCloseTo(0.3);
    expect(applyRigProfile(weights, RIG_PROFILES.livelink).EyeBlinkLeft).toBe(1);
  });

  it('scales expression by expressiveness, clamps to 0..1 and leaves blinks and gaze alone', () => {
    fc.assert(
      fc.property(
        fc.float32Array({ minLength: BLENDSHAPE_COUNT, maxLength: BLENDSHAPE_COUNT, min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        (weights, e) => {
          const scaled = scaleExpressiveness(weights, e);
          ARKIT_BLENDSHAPES.forEach((name, k) => {
            const v = scaled[k] as number;
            expect(v >= 0 && v <= 1).toBe(true);
            const expected =
              name.startsWith('eyeBlink') || name.startsWith('eyeLook')
                ? weights[k]
                : Math.min(1, (weights[k] as number) * e);
            expect(v).toBeCloseTo(expected as number, 5);
          });
          for (const v of Object.values(applyRigProfile(weights, RIG_PROFILES.metahuman, e)))
            expect(v >= 0 && v <= 1).toBe(true);
        },
      ),
    );
    const out = applyRigProfile(frame({ mouthSmileLeft: 0.8, eyeBlinkLeft: 0.9 }), RIG_PROFILES.generic, 2);
    expect(out.mouthSmileLeft).toBe(1);
    expect(out.eyeBlinkLeft).toBeCloseTo(0.9);
    expect(() => scaleExpressiveness(frame({}), 2.5)).toThrow('expressiveness: 2.5 is not in 0..2');
  });

  it('names the profile and blendshape a custom profile misses', () => {
    const { tongueOut: _, ...rest } = RIG_PROFILES.generic.curves;
    expect(() => checkRigProfile({ name: 'mine', description: '', curves: rest } as RigProfile)).toThrow(
      'rig profile "mine": curves.tongueOut is missing',
    );
  });
});
