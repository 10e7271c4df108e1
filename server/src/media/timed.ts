/** A value that holds over [startMs, endMs) on the performance clock, ms. */
export interface Timed<T> {
  startMs: number;
  endMs: number;
  value: T;
}
