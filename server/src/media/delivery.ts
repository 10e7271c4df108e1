import type { EmotionName, GestureName, IntentName } from '@stagecraft/protocol';

/** How a line is delivered: its emotion drives the face, its intent and gesture the body cues. */
export interface Delivery {
  emotion: EmotionName;
  /** Strength of the emotion, 0..1. */
  intensity: number;
  intent: IntentName;
  gesture: GestureName;
}

/** Strength of a line's emotion when none is given. */
export const DEFAULT_INTENSITY = 0.6;

/** A delivery with what was not given filled in: neutral, informing, no gesture. */
export function deliveryOf(given: Partial<Delivery>): Delivery {
  return {
    emotion: given.emotion ?? 'neutral',
    intensity: given.intensity ?? DEFAULT_INTENSITY,
    intent: given.intent ?? 'inform',
    gesture: given.gesture ?? 'none',
  };
}
