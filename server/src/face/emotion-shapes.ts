import type { EmotionName } from '@stagecraft/protocol';
import type { AuTargets } from './action-units.js';

/**
 * Each emotion at intensity 1 as FACS action units (after Ekman & Friesen's prototypes, softened
 * for conversation). Lip and jaw units (AU10, AU17, AU23–AU26) give way to speech while the NPC
 * talks; brows, eyes, cheeks and mouth corners stay.
 */
export const EMOTION_SHAPES: Record<EmotionName, AuTargets> = {
  neutral: {},
  // Duchenne smile: cheeks up, corners pulled.
  joy: { AU6: 0.55, AU12: 0.75, AU25: 0.15 },
  // Inner brows up and together, corners down, lids heavy, eyes a little down.
  sadness: { AU1: 0.65, AU4: 0.3, AU15: 0.5, AU17: 0.3, AU43: 0.15, AU64: 0.08 },
  // Brows down, glaring lids, lips tightened and pressed.
  anger: { AU4: 0.75, AU5: 0.2, AU7: 0.5, AU9: 0.1, AU10: 0.15, AU23: 0.4, AU24: 0.2 },
  // Brows raised and drawn together, eyes wide, lips stretched.
  fear: { AU1: 0.6, AU2: 0.4, AU4: 0.3, AU5: 0.6, AU20: 0.5, AU25: 0.3, AU26: 0.12 },
  // Brows high, eyes wide, jaw dropped.
  surprise: { AU1: 0.7, AU2: 0.65, AU5: 0.55, AU25: 0.35, AU26: 0.3 },
  // Nose wrinkled, upper lip raised, corners down.
  disgust: { AU9: 0.6, AU10: 0.4, AU15: 0.35, AU4: 0.25, AU17: 0.2 },
};
