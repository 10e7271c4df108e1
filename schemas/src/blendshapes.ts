import { BLENDSHAPE, type BlendshapeName } from './vocabulary.js';

/**
 * The 52 ARKit blendshapes, in the order every FaceFrames message uses: index i of a decoded
 * frame is the weight (0..1) of ARKIT_BLENDSHAPES[i]. This order is part of the wire format;
 * new names are only ever appended.
 */
export const ARKIT_BLENDSHAPES = BLENDSHAPE.words;

/** Number of weights in one face frame. */
export const BLENDSHAPE_COUNT = ARKIT_BLENDSHAPES.length;

/** Index of each blendshape in a frame, e.g. `BLENDSHAPE_INDEX.jawOpen === 17`. */
export const BLENDSHAPE_INDEX = Object.fromEntries(ARKIT_BLENDSHAPES.map((name, i) => [name, i])) as Record<
  BlendshapeName,
  number
>;
