import { describe, expect, it } from '@jest/globals';
import type { CueFrame } from '../media/frames.js';
import { CUT_GESTURE_MS, OpenGestures } from './open-gestures.js';

const cue = (kind: CueFrame['cue'], startMs: number): CueFrame => ({
  kind: 'cue',
  performanceId: 'p',
  startMs,
  durationMs: 300,
  cue: kind,
  intensity: 0.7,
});

describe('open gestures at a cut', () => {
  it('closes a gesture started before the cut whose stop was planned after it', () => {
    const g = new OpenGestures();
    for (const c of [cue('nod', 50), cue('gesture_start', 100), cue('gesture_stop', 900)]) g.see(c);
    expect(g.closeAt(500, 'p')).toEqual([
      {
        kind: 'cue',
        performanceId: 'p',
        startMs: 500,
        durationMs: CUT_GESTURE_MS,
        cue: 'gesture_stop',
        intensity: 0.7,
      },
    ]);
  });

  it('closes nothing when every gesture started before the cut has stopped by it, or starts after it', () => {
    const g = new OpenGestures();
    for (const c of [cue('gesture_start', 100), cue('gesture_stop', 400), cue('gesture_start', 800)]) g.see(c);
    expect(g.closeAt(600, 'p')).toEqual([]);
  });

  it('forgets gestures a client never received', () => {
    const g = new OpenGestures();
    const start = cue('gesture_start', 100);
    g.see(start);
    g.forget([start]);
    expect(g.closeAt(500, 'p')).toEqual([]);
  });
});
