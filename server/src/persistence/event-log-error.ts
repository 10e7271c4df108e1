/** Input the event log cannot store, a closed log, or a write that failed (its events stay buffered). */
export class EventLogError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'EventLogError';
  }
}
