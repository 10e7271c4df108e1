import type { VisemeName } from '@stagecraft/protocol';
import type { AuTargets } from './action-units.js';

/**
 * One viseme's mouth: AU targets at viseme weight 1, and its dominance (Cohen–Massaro): how hard
 * it holds the jaw and the lips against its neighbours. A high dominance keeps its shape when
 * neighbours overlap it (PP, FF); a low one lets neighbours colour it (the lips of /k/ take the
 * rounding of a following /u/).
 */
export interface VisemeShape {
  targets: AuTargets;
  dominance: { jaw: number; lips: number };
}

/**
 * Mouth and jaw per viseme. jawOpen (AU26) is what ARKit reports for conversational speech:
 * open vowels around 0.3–0.55, closed consonants under 0.1.
 */
export const VISEME_SHAPES: Record<VisemeName, VisemeShape> = {
  // Rest: lips lightly together, jaw closed.
  sil: { targets: {}, dominance: { jaw: 0.6, lips: 0.6 } },
  // p b m: lips pressed together, jaw nearly closed.
  PP: { targets: { AU24: 0.6, AU8: 0.05, AU26: 0.03, AU28: 0.1 }, dominance: { jaw: 6, lips: 6 } },
  // f v: lower lip tucked under the upper teeth.
  FF: { targets: { AD32: 0.55, AU10: 0.15, AU26: 0.06 }, dominance: { jaw: 2.5, lips: 3.5 } },
  // th: tongue tip between the teeth.
  TH: { targets: { AU19: 0.15, AU25: 0.3, AU26: 0.12 }, dominance: { jaw: 1.5, lips: 1 } },
  // t d: tongue on the ridge; the lips follow the neighbours.
  DD: { targets: { AU25: 0.35, AU26: 0.15 }, dominance: { jaw: 1.2, lips: 0.5 } },
  // k g: back of the tongue; the lips follow the neighbours.
  kk: { targets: { AU25: 0.3, AU26: 0.2 }, dominance: { jaw: 1, lips: 0.4 } },
  // ch sh: lips pushed out and funnelled.
  CH: { targets: { AU22: 0.45, AU18: 0.15, AU25: 0.3, AU26: 0.1 }, dominance: { jaw: 1.5, lips: 2.5 } },
  // s z: teeth close together, lips slightly spread.
  SS: { targets: { AU25: 0.4, AU20: 0.2, AU26: 0.06 }, dominance: { jaw: 2, lips: 0.6 } },
  // n l: tongue on the ridge, jaw a little open.
  nn: { targets: { AU25: 0.25, AU26: 0.12 }, dominance: { jaw: 1, lips: 0.4 } },
  // r: lips slightly rounded.
  RR: { targets: { AU18: 0.25, AU22: 0.2, AU25: 0.25, AU26: 0.12 }, dominance: { jaw: 1, lips: 1.2 } },
  // a: jaw wide open.
  aa: { targets: { AU26: 0.55, AU25: 0.4 }, dominance: { jaw: 1, lips: 1 } },
  // e: jaw half open, lips spread.
  E: { targets: { AU26: 0.32, AU25: 0.4, AU20: 0.2 }, dominance: { jaw: 1, lips: 1 } },
  // i: jaw nearly closed, lips spread.
  ih: { targets: { AU26: 0.18, AU25: 0.35, AU20: 0.3 }, dominance: { jaw: 1, lips: 1 } },
  // o: jaw half open, lips rounded.
  oh: { targets: { AU26: 0.35, AU22: 0.45, AU18: 0.2, AU25: 0.3 }, dominance: { jaw: 1, lips: 1.8 } },
  // u: lips puckered.
  ou: { targets: { AU18: 0.65, AU22: 0.3, AU26: 0.15 }, dominance: { jaw: 1, lips: 2 } },
};
