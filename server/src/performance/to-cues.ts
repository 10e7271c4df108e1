import type { Cue } from '../face/cues.js';
import { type Delivery, deliveryOf } from '../media/delivery.js';
import type { CueFrame, PerformanceFrame, StageContext } from '../media/frames.js';
import { LineCues } from './plan-cue-stream.js';

export interface CueContext extends StageContext {
  /** The line's delivery as given when it starts (defaults for what is left out). */
  delivery: Partial<Delivery>;
  /**
   * The delivery of a line written while it is spoken: no cues are planned until it resolves;
   * then the clauses so far are planned at once. `delivery` is ignored when this is given.
   */
  later?: Promise<Delivery>;
}

/** Audio times are sums of float durations: a chunk's end is promised a hair early. */
const PROMISE_SLACK_MS = 0.01;

/**
 * Adds the body-language cues: each clause's visemes (with the clause's text) settle the cues no
 * later clause can move, and those go out at once; the cues that hang on the line's end (a
 * farewell nod, a question's lean-in) go out as the line's last audio does. Everything passes on.
 */
export async function* toCues(
  input: AsyncIterable<PerformanceFrame>,
  ctx: CueContext,
): AsyncIterable<PerformanceFrame> {
  let known: Delivery | undefined = ctx.later ? undefined : deliveryOf(ctx.delivery);
  let arrived: Delivery | undefined;
  ctx.later?.then(
    (d) => {
      arrived = deliveryOf(d);
    },
    () => undefined,
  );
  const cues = new LineCues(known);
  const cueFrame = (c: Cue): CueFrame => ({
    kind: 'cue',
    performanceId: ctx.performanceId,
    startMs: c.startMs,
    durationMs: c.durationMs,
    cue: c.kind,
    intensity: c.intensity,
  });
  let knownMs = 0;
  for await (const frame of input) {
    if (!known && arrived) {
      known = arrived;
      yield* cues.deliver(known).map(cueFrame);
    }
    if (frame.kind === 'visemes' && frame.visemes.length > 0) {
      // A clause's timing may overlap the last one's by rounding: it starts where that one ended.
      const visemes = frame.visemes.filter((v) => v.endMs > knownMs);
      const startMs = Math.max(knownMs, visemes[0]?.startMs ?? knownMs);
      knownMs = Math.max(knownMs, ...visemes.map((v) => v.endMs));
      if (frame.clause !== undefined && visemes.length > 0)
        yield* cues.add({ startMs, endMs: knownMs, value: frame.clause }).map(cueFrame);
      yield frame;
      continue;
    }
    if (frame.kind === 'audio') knownMs = Math.max(knownMs, frame.startMs + frame.durationMs - PROMISE_SLACK_MS);
    yield frame;
  }
  if (!known && arrived) yield* cues.deliver(arrived).map(cueFrame);
  yield* cues.finish().map(cueFrame);
}
