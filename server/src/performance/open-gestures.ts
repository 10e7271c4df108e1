import type { CueFrame, PerformanceFrame } from '../media/frames.js';

/** How long the closing of a gesture cut short takes, ms. */
export const CUT_GESTURE_MS = 150;

const isGesture = (f: PerformanceFrame): f is CueFrame =>
  f.kind === 'cue' && (f.cue === 'gesture_start' || f.cue === 'gesture_stop');

/**
 * The gesture cues a performance has sent, so that a line cut short closes the gestures it left
 * open: a client discards everything stamped after the cut, a gesture_stop planned later included.
 */
export class OpenGestures {
  private readonly sent: CueFrame[] = [];

  see(frame: PerformanceFrame): void {
    if (isGesture(frame)) this.sent.push(frame);
  }

  /** Frames dropped before a client received them. */
  forget(frames: readonly PerformanceFrame[]): void {
    for (const f of frames) {
      const at = isGesture(f) ? this.sent.indexOf(f) : -1;
      if (at >= 0) this.sent.splice(at, 1);
    }
  }

  /** gesture_stop cues at `cutMs` for every gesture started before it and not stopped by then. */
  closeAt(cutMs: number, performanceId: string): CueFrame[] {
    const starts = this.sent.filter((c) => c.cue === 'gesture_start' && c.startMs < cutMs);
    const stops = this.sent.filter((c) => c.cue === 'gesture_stop' && c.startMs <= cutMs).length;
    return starts.slice(stops).map((start) => ({
      kind: 'cue',
      performanceId,
      startMs: cutMs,
      durationMs: CUT_GESTURE_MS,
      cue: 'gesture_stop',
      intensity: start.intensity,
    }));
  }
}
