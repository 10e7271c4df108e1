import type { EmotionName } from '@stagecraft/protocol';
import type { Timed } from '../media/timed.js';
import { ACTION_UNITS, type ActionUnit, AU_COUNT, AU_INDEX, type AuTrack, emptyAuTrack } from './action-units.js';
import { segmentWeight } from './easing.js';
import { EMOTION_SHAPES } from './emotion-shapes.js';

/** What an emotion track holds over a span: one emotion at an intensity (0..1). */
export interface EmotionValue {
  emotion: EmotionName;
  intensity: number;
}

/** Half the length of the eased change from one emotion to the next, ms. */
export const EMOTION_EASE_MS = 250;

/** AUs an emotion may move while the NPC speaks; the rest (lips, jaw) belong to speech. */
export const EMOTION_OVER_SPEECH: ReadonlySet<number> = new Set(
  ACTION_UNITS.flatMap((au, i) => (au.group === 'lips' || au.group === 'jaw' || au.group === 'tongue' ? [] : [i])),
);

/**
 * Emotion track → AU curves. Each span's shape × intensity is eased in and out over
 * 2 × {@link EMOTION_EASE_MS} centred on its edges, so one emotion cross-fades into the next;
 * time outside every span is neutral. Each frame depends only on spans within
 * {@link EMOTION_EASE_MS} of its time.
 */
export function emotionAus(track: readonly Timed<EmotionValue>[], times: Float64Array): AuTrack {
  const spans = [...track]
    .sort((a, b) => a.startMs - b.startMs)
    .map((span) => ({
      startMs: span.startMs,
      endMs: span.endMs,
      targets: Object.entries(EMOTION_SHAPES[span.value.emotion]).map(
        ([code, v]) => [AU_INDEX[code as ActionUnit], (v ?? 0) * span.value.intensity] as const,
      ),
    }));
  const out = emptyAuTrack(times);
  let lo = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i] as number;
    while (lo < spans.length && (spans[lo]?.endMs ?? 0) + EMOTION_EASE_MS <= t) lo++;
    for (let j = lo; j < spans.length; j++) {
      const span = spans[j];
      if (!span || span.startMs - EMOTION_EASE_MS >= t) break;
      const s = segmentWeight(t, span.startMs, span.endMs, EMOTION_EASE_MS, EMOTION_EASE_MS);
      if (s <= 0) continue;
      for (const [a, v] of span.targets) {
        const k = i * AU_COUNT + a;
        out.values[k] = (out.values[k] as number) + s * v;
      }
    }
  }
  return out;
}
