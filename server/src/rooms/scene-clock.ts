/** Scene clock in ms since the scene started; it stands still while paused. */
export class SceneClock {
  private startedAt: number;
  private pausedAt: number | undefined;
  private pausedTotal = 0;

  /** `startMs` resumes a clock that had already run that long. */
  constructor(
    startMs = 0,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.startedAt = now() - startMs;
  }

  get ms(): number {
    const end = this.pausedAt ?? this.now();
    return end - this.startedAt - this.pausedTotal;
  }

  pause(): void {
    this.pausedAt ??= this.now();
  }

  resume(): void {
    if (this.pausedAt === undefined) return;
    this.pausedTotal += this.now() - this.pausedAt;
    this.pausedAt = undefined;
  }
}
