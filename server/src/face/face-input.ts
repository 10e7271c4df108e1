import { EMOTIONS, VISEMES } from '@stagecraft/protocol';
import { type VisemeEvent } from '../media/frames.js';
import type { Timed } from '../media/timed.js';
import type { EmotionValue } from './emotion-track.js';

function checkSpan(span: Timed<unknown>, where: string): void {
  if (!Number.isFinite(span.startMs)) throw new RangeError(`${where}.startMs: ${span.startMs} is not a finite number`);
  if (!Number.isFinite(span.endMs)) throw new RangeError(`${where}.endMs: ${span.endMs} is not a finite number`);
  if (span.endMs < span.startMs)
    throw new RangeError(`${where}.endMs: ${span.endMs} is before its startMs ${span.startMs}`);
}

function checkUnit(value: number, where: string): void {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${where}: ${value} is not in 0..1`);
}

/** Throws a RangeError naming the first bad field, e.g. `visemes[3].weight: 1.5 is not in 0..1`. */
export function checkVisemes(visemes: readonly VisemeEvent[], where = 'visemes'): void {
  visemes.forEach((v, i) => {
    checkSpan(v, `${where}[${i}]`);
    if (!(VISEMES as readonly string[]).includes(v.value))
      throw new RangeError(`${where}[${i}].value: "${v.value}" is not one of the 15 visemes`);
    checkUnit(v.weight, `${where}[${i}].weight`);
  });
}

/** Throws a RangeError naming the first bad field, e.g. `emotions[0].value.emotion: "glee" is not an emotion`. */
export function checkEmotions(emotions: readonly Timed<EmotionValue>[], where = 'emotions'): void {
  emotions.forEach((e, i) => {
    checkSpan(e, `${where}[${i}]`);
    if (!(EMOTIONS as readonly string[]).includes(e.value?.emotion))
      throw new RangeError(`${where}[${i}].value.emotion: "${e.value?.emotion}" is not one of ${EMOTIONS.join(', ')}`);
    checkUnit(e.value.intensity, `${where}[${i}].value.intensity`);
  });
}

/** Throws unless fps is a positive number up to 240. */
export function checkFps(fps: number): void {
  if (!(fps > 0 && fps <= 240)) throw new RangeError(`fps: ${fps} is not in (0, 240]`);
}

/** Throws unless expressiveness is in 0..2. */
export function checkExpressiveness(expressiveness: number): void {
  if (!(expressiveness >= 0 && expressiveness <= 2))
    throw new RangeError(`expressiveness: ${expressiveness} is not in 0..2`);
}
