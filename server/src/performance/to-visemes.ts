import type { PerformanceFrame, StageContext } from '../media/frames.js';
import { phonemesToVisemes } from './visemes.js';

/** Adds a visemes frame after every phonemes frame; other frames pass unchanged. */
export async function* toVisemes(
  input: AsyncIterable<PerformanceFrame>,
  _ctx: StageContext,
): AsyncIterable<PerformanceFrame> {
  for await (const frame of input) {
    yield frame;
    if (frame.kind === 'phonemes')
      yield {
        kind: 'visemes',
        performanceId: frame.performanceId,
        visemes: phonemesToVisemes(frame.phonemes),
        clause: frame.clause,
      };
  }
}
