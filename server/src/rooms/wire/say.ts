import { EMOTION, ErrorCode, GESTURE, INTENT, type Say, type Vocabulary } from '@stagecraft/protocol';
import type { Delivery } from '../../media/delivery.js';
import { ClientMessageError } from '../client-error.js';

/** How a line is to be spoken; what is not given takes the defaults of {@link deliveryOf}. */
export interface SayOptions extends Partial<Delivery> {
  interruptible?: boolean;
  /** The request that asks for the line; its performance_start carries it. */
  requestId?: string;
}

/** The word of an enum field; the zero value gives none, an unknown number is refused. */
function wordOf<W extends string>(value: number, vocabulary: Vocabulary<W, number>, field: string): W | undefined {
  if (value === 0) return undefined;
  const word = vocabulary.fromWire(value);
  if (word !== undefined) return word;
  throw new ClientMessageError(
    ErrorCode.INVALID_FIELD,
    `${field} ${value} is not a known value (${vocabulary.words.join(', ')})`,
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
    emotion: wordOf(say.emotion, EMOTION, 'say.emotion'),
    intensity,
    intent: wordOf(say.intent, INTENT, 'say.intent'),
    gesture: wordOf(say.gesture, GESTURE, 'say.gesture'),
  };
}
