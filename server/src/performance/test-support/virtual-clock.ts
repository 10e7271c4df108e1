import type { PaceClock } from '../speak.js';

/**
 * Time for pacing tests that moves only when a performance sleeps on it or the test moves it,
 * so pacing is checked exactly and without waiting, however busy the machine is.
 */
export class VirtualClock implements PaceClock {
  private t = 0;

  now(): number {
    return this.t;
  }

  sleep(ms: number): Promise<void> {
    this.t += Math.max(0, ms);
    return new Promise((resolve) => setImmediate(resolve));
  }

  advance(ms: number): void {
    this.t += ms;
  }
}
