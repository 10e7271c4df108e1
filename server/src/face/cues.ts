import {
  type CueKindName,
  EMOTIONS,
  type EmotionName,
  GESTURES,
  type GestureName,
  INTENTS,
  type IntentName,
} from '@stagecraft/protocol';
import type { Timed } from '../media/timed.js';

/** One timed cue on the performance clock; intensity 0..1. */
export interface Cue {
  startMs: number;
  durationMs: number;
  kind: CueKindName;
  intensity: number;
}

export interface CueInput {
  emotion: EmotionName;
  /** 0..1, the line's emotional intensity. */
  intensity: number;
  intent: IntentName;
  /** A gesture the line asked for ('none' for none). */
  gesture: GestureName;
  /** The line's clauses with their text, on the performance clock, in order. */
  clauses: readonly Timed<string>[];
}

/** How long each cue takes, ms, when nothing else decides it. */
export const CUE_LENGTH_MS: Record<CueKindName, number> = {
  nod: 450,
  head_shake: 700,
  shrug: 600,
  lean_in: 900,
  point: 800,
  wave: 1200,
  gesture_start: 300,
  gesture_stop: 300,
};

/** Clauses at least this long get a beat gesture: gesture_start before, gesture_stop at the end, ms. */
export const LONG_CLAUSE_MS = 1200;
/** Gestures start this long before the stressed clause, so the stroke lands on it, ms. */
const LEAD_MS = 150;

/** A clause is stressed when it exclaims, or holds a word in capitals or between asterisks. */
export function isStressed(text: string): boolean {
  return /!\s*$/.test(text) || /\b[A-Z]{2,}\b/.test(text) || /\*[^*]+\*/.test(text);
}

function check(input: CueInput): void {
  if (!(EMOTIONS as readonly string[]).includes(input.emotion))
    throw new RangeError(`emotion: "${input.emotion}" is not one of ${EMOTIONS.join(', ')}`);
  if (!(INTENTS as readonly string[]).includes(input.intent))
    throw new RangeError(`intent: "${input.intent}" is not one of ${INTENTS.join(', ')}`);
  if (!(GESTURES as readonly string[]).includes(input.gesture))
    throw new RangeError(`gesture: "${input.gesture}" is not one of ${GESTURES.join(', ')}`);
  if (!(input.intensity >= 0 && input.intensity <= 1))
    throw new RangeError(`intensity: ${input.intensity} is not in 0..1`);
  input.clauses.forEach((c, i) => {
    if (!(Number.isFinite(c.startMs) && Number.isFinite(c.endMs) && c.endMs >= c.startMs))
      throw new RangeError(`clauses[${i}]: [${c.startMs}, ${c.endMs}) is not a span`);
  });
}

/**
 * A line's emotion, intent and clause timings → timed body-language cues, sorted by start:
 * - greet and agree nod near the start, farewell nods near the end, refuse shakes the head;
 * - ask leans in at the end, or shrugs when the line is sad or afraid;
 * - threaten, and anger at intensity ≥ 0.4, lean in on the first stressed clause; comfort leans
 *   in softly at the start;
 * - a requested gesture lands on the first stressed clause ({@link isStressed}; else the first
 *   clause) and replaces an intent cue of the same kind;
 * - every clause of at least {@link LONG_CLAUSE_MS} is framed by gesture_start / gesture_stop.
 * Intensities scale with the line's intensity (0.5 + 0.5 × intensity). Bad input throws a
 * RangeError naming the field.
 */
export function planCues(input: CueInput): Cue[] {
  check(input);
  const { clauses } = input;
  const first = clauses[0];
  const last = clauses[clauses.length - 1];
  if (!first || !last) return [];
  const stressed = clauses.find((c) => isStressed(c.value)) ?? first;
  const gain = 0.5 + 0.5 * input.intensity;
  const cues: Cue[] = [];
  const add = (kind: CueKindName, startMs: number, base: number, durationMs = CUE_LENGTH_MS[kind]) => {
    if (input.gesture === kind) return;
    cues.push({ kind, startMs: Math.max(0, startMs), durationMs, intensity: Math.min(1, base * gain) });
  };

  const opening = first.startMs + 100;
  const closing = Math.max(first.startMs, last.endMs - 500);
  const stressLength = Math.min(1500, Math.max(CUE_LENGTH_MS.lean_in, stressed.endMs - stressed.startMs));
  if (input.intent === 'greet') add('nod', opening, 0.6);
  if (input.intent === 'agree') add('nod', opening, 0.7);
  if (input.intent === 'farewell') add('nod', closing, 0.5);
  if (input.intent === 'refuse') add('head_shake', opening, 0.7);
  if (input.intent === 'ask') {
    const unsure = input.emotion === 'sadness' || input.emotion === 'fear';
    add(unsure ? 'shrug' : 'lean_in', Math.max(first.startMs, last.endMs - 400), 0.4, 600);
  }
  if (input.intent === 'comfort') add('lean_in', first.startMs, 0.3);
  if (input.intent === 'threaten' || (input.emotion === 'anger' && input.intensity >= 0.4))
    add('lean_in', stressed.startMs - LEAD_MS, 0.8, stressLength);

  if (input.gesture !== 'none') {
    const kind: CueKindName = input.gesture;
    const durationMs = kind === 'lean_in' ? stressLength : CUE_LENGTH_MS[kind];
    cues.push({
      kind,
      startMs: Math.max(0, stressed.startMs - LEAD_MS),
      durationMs,
      intensity: Math.min(1, 0.8 * gain),
    });
  }

  for (const c of clauses) {
    if (c.endMs - c.startMs < LONG_CLAUSE_MS) continue;
    add('gesture_start', c.startMs - LEAD_MS, 0.5);
    add('gesture_stop', c.endMs - CUE_LENGTH_MS.gesture_stop, 0.5);
  }
  return cues.sort((a, b) => a.startMs - b.startMs);
}
