/**
 * A stream every consumer reads from its start: items are kept, and each iterator sees all of
 * them, however late it began, until the stream is closed.
 */
export class ReplayStream<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private closed = false;
  private wake: (() => void)[] = [];

  push(item: T): void {
    if (this.closed) return;
    this.items.push(item);
    this.notify();
  }

  close(): void {
    this.closed = true;
    this.notify();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Items received so far. */
  snapshot(): readonly T[] {
    return this.items;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    let i = 0;
    while (true) {
      while (i < this.items.length) yield this.items[i++] as T;
      if (this.closed) return;
      await new Promise<void>((resolve) => this.wake.push(resolve));
    }
  }

  private notify(): void {
    const waiting = this.wake;
    this.wake = [];
    for (const w of waiting) w();
  }
}
