import type { RigProfile } from '../rig-profiles.js';

const lr = (name: string, w = 1) => ({ [`CTRL_expressions_${name}L`]: w });
const r = (name: string, w = 1) => ({ [`CTRL_expressions_${name}R`]: w });
const four = (name: string) => ({
  [`CTRL_expressions_${name}UL`]: 1,
  [`CTRL_expressions_${name}UR`]: 1,
  [`CTRL_expressions_${name}DL`]: 1,
  [`CTRL_expressions_${name}DR`]: 1,
});
const one = (name: string) => ({ [`CTRL_expressions_${name}`]: 1 });

/**
 * ARKit-52 → the MetaHuman face control curves (`CTRL_expressions_*`) that the MetaHuman face
 * rig reads in its animation blueprint. Left/right are the character's; the left eye looking in
 * (eyeLookInLeft) turns towards the character's right. Upper/lower lip pairs drive all four
 * lip quadrants (UL, UR, DL, DR).
 */
export const METAHUMAN: RigProfile = {
  name: 'metahuman',
  description: 'MetaHuman face rig control curves (CTRL_expressions_*)',
  curves: {
    eyeBlinkLeft: lr('eyeBlink'),
    eyeLookDownLeft: lr('eyeLookDown'),
    eyeLookInLeft: lr('eyeLookRight'),
    eyeLookOutLeft: lr('eyeLookLeft'),
    eyeLookUpLeft: lr('eyeLookUp'),
    eyeSquintLeft: lr('eyeSquintInner'),
    eyeWideLeft: lr('eyeWiden'),
    eyeBlinkRight: r('eyeBlink'),
    eyeLookDownRight: r('eyeLookDown'),
    eyeLookInRight: r('eyeLookLeft'),
    eyeLookOutRight: r('eyeLookRight'),
    eyeLookUpRight: r('eyeLookUp'),
    eyeSquintRight: r('eyeSquintInner'),
    eyeWideRight: r('eyeWiden'),
    jawForward: one('jawFwd'),
    jawLeft: one('jawLeft'),
    jawRight: one('jawRight'),
    jawOpen: one('jawOpen'),
    mouthClose: four('mouthLipsTogether'),
    mouthFunnel: four('mouthFunnel'),
    mouthPucker: four('mouthLipsPurse'),
    mouthLeft: one('mouthLeft'),
    mouthRight: one('mouthRight'),
    mouthSmileLeft: lr('mouthCornerPull'),
    mouthSmileRight: r('mouthCornerPull'),
    mouthFrownLeft: lr('mouthCornerDepress'),
    mouthFrownRight: r('mouthCornerDepress'),
    mouthDimpleLeft: lr('mouthDimple'),
    mouthDimpleRight: r('mouthDimple'),
    mouthStretchLeft: lr('mouthStretch'),
    mouthStretchRight: r('mouthStretch'),
    mouthRollLower: { ...lr('mouthLowerLipRollIn'), ...r('mouthLowerLipRollIn') },
    mouthRollUpper: { ...lr('mouthUpperLipRollIn'), ...r('mouthUpperLipRollIn') },
    mouthShrugLower: { CTRL_expressions_jawChinRaiseDL: 1, CTRL_expressions_jawChinRaiseDR: 1 },
    mouthShrugUpper: { CTRL_expressions_jawChinRaiseUL: 1, CTRL_expressions_jawChinRaiseUR: 1 },
    mouthPressLeft: lr('mouthLipsPress'),
    mouthPressRight: r('mouthLipsPress'),
    mouthLowerDownLeft: lr('mouthLowerLipDepress'),
    mouthLowerDownRight: r('mouthLowerLipDepress'),
    mouthUpperUpLeft: lr('mouthUpperLipRaise'),
    mouthUpperUpRight: r('mouthUpperLipRaise'),
    browDownLeft: lr('browDown'),
    browDownRight: r('browDown'),
    browInnerUp: { ...lr('browRaiseIn'), ...r('browRaiseIn') },
    browOuterUpLeft: lr('browRaiseOuter'),
    browOuterUpRight: r('browRaiseOuter'),
    cheekPuff: { ...lr('mouthCheekBlow'), ...r('mouthCheekBlow') },
    cheekSquintLeft: lr('eyeCheekRaise'),
    cheekSquintRight: r('eyeCheekRaise'),
    noseSneerLeft: lr('noseWrinkle'),
    noseSneerRight: r('noseWrinkle'),
    tongueOut: one('tongueOut'),
  },
};
