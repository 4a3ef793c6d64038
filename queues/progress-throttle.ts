/**
 * A running job's progress on its way to Redis: the latest value only, at most once per
 * interval, and nothing in the job's first interval. Each update costs a round trip, a script
 * and an event-stream entry; a job done within the interval (most digital documents) sends
 * none, a long one (a scan, page by page) is still seen moving a few times a second.
 */
export class ProgressThrottle {
  private latest: Record<string, unknown> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private nextAt: number;
  private stopped = false;

  constructor(
    private readonly send: (progress: Record<string, unknown>) => Promise<unknown>,
    private readonly intervalMs: number,
    now = Date.now(),
  ) {
    this.nextAt = now + intervalMs;
  }

  report(progress: Record<string, unknown>): void {
    if (this.stopped) return;
    this.latest = progress;
    this.timer ??= setTimeout(() => this.flush(), Math.max(0, this.nextAt - Date.now()));
  }

  /** The job is over: what is still waiting is dropped (its end says more than its progress). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private flush(): void {
    this.timer = null;
    if (this.stopped || !this.latest) return;
    const progress = this.latest;
    this.latest = null;
    this.nextAt = Date.now() + this.intervalMs;
    // Not awaited: a display must not hold the job up, nor fail it.
    this.send(progress).catch(() => {});
  }
}
