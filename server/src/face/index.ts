// The face module's public API: visemes + emotions → ARKit-52 face frames, cues (rig profiles are in @stagecraft/protocol).

export { ACTION_UNITS, type ActionUnit, AU_TO_ARKIT } from './action-units.js';
export { ANTICIPATION_MS, CARRY_OVER_MS } from './coarticulate.js';
export { CUE_KINDS, type Cue, type CueInput, type CueKind, planCues } from './cues.js';
export { EMOTION_SHAPES } from './emotion-shapes.js';
export { EMOTION_EASE_MS, type EmotionValue } from './emotion-track.js';
export { expressivenessGains } from './face-mix.js';
export {
  createFaceState,
  FACE_LOOKAHEAD_MS,
  type FaceFrame,
  type FaceInput,
  type FaceOptions,
  type FaceState,
  type FaceTimeline,
  type FaceWindowInput,
  generateFace,
  generateFaceWindow,
  sampleFace,
} from './face-timeline.js';
export { MAX_STEP_PER_FRAME_30FPS, MAX_STEP_PER_MS, maxStepPerFrame } from './jump-limits.js';
export { LIP_SEAL } from './lip-seal.js';
export { VISEME_SHAPES } from './viseme-shapes.js';
