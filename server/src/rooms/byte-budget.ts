/**
 * Bytes each client may send in one second: a fixed one-second window per client, as the
 * matchmaker counts messages. `take` says whether a message still fits.
 */
export class ByteBudget {
  private readonly windows = new Map<string, { endsAt: number; bytes: number }>();

  constructor(
    /** Most bytes one client may send in a second. */
    readonly maxPerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Counts `bytes` against the client's second; false once it has sent more than the budget. */
  take(clientId: string, bytes: number): boolean {
    const t = this.now();
    let w = this.windows.get(clientId);
    if (!w || t >= w.endsAt) {
      w = { endsAt: t + 1000, bytes: 0 };
      this.windows.set(clientId, w);
    }
    w.bytes += bytes;
    return w.bytes <= this.maxPerSecond;
  }

  forget(clientId: string): void {
    this.windows.delete(clientId);
  }
}
