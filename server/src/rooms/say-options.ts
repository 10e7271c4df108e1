import { ErrorCode, type Say } from '@stagecraft/protocol';
import { EMOTIONS, type Emotion, GESTURES, type Gesture, INTENTS, type Intent } from '../engines/dialogue/dialogue.js';
import { ClientMessageError } from './client-error.js';

/** How a line is delivered: its emotion and gesture drive the face and the body cues. */
export interface SayOptions {
  interruptible?: boolean;
  emotion?: Emotion;
  /** 0..1. */
  intensity?: number;
  intent?: Intent;
  gesture?: Gesture;
}

/** Default strength of a line's emotion when none is given. */
export const DEFAULT_INTENSITY = 0.6;

function oneOf<T extends string>(value: string, allowed: readonly T[], field: string): T | undefined {
  if (value === '') return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ClientMessageError(
    ErrorCode.INVALID_FIELD,
    `${field} "${value}" is not one of ${allowed.join(', ')}`,
    'say',
    field,
  );
}

/** The delivery options of a Say message; throws ClientMessageError naming the bad field. */
export function sayOptionsFromWire(say: Say): SayOptions {
  const intensity = say.intensity;
  if (intensity !== undefined && !(intensity >= 0 && intensity <= 1))
    throw new ClientMessageError(
      ErrorCode.INVALID_FIELD,
      `say.intensity ${intensity} is outside 0..1`,
      'say',
      'say.intensity',
    );
  return {
    interruptible: say.interruptible ?? true,
    emotion: oneOf(say.emotion, EMOTIONS, 'say.emotion'),
    intensity,
    intent: oneOf(say.intent, INTENTS, 'say.intent'),
    gesture: oneOf(say.gesture, GESTURES, 'say.gesture'),
  };
}
