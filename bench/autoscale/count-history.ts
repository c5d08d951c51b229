/**
 * The queue's true counts over the last `keepSeconds`, so a read can return those of a moment ago.
 * Older changes are dropped: memory stays bounded however long the trace.
 */
export class CountHistory {
  private times: number[] = [0];
  private visibleAt: number[] = [0];
  private inFlightAt: number[] = [0];
  private start = 0;

  constructor(private readonly keepSeconds: number) {}

  /** Changes still kept. */
  get size(): number {
    return this.times.length - this.start;
  }

  record(now: number, visible: number, inFlight: number): void {
    if (this.times.at(-1) === now) {
      this.times.pop();
      this.visibleAt.pop();
      this.inFlightAt.pop();
    }
    this.times.push(now);
    this.visibleAt.push(visible);
    this.inFlightAt.push(inFlight);
    // Keep the last change before the oldest moment a read can ask for: it holds at that moment.
    while ((this.times[this.start + 1] ?? Infinity) <= now - this.keepSeconds) this.start += 1;
    if (this.start > 4096 && this.start * 2 > this.times.length) this.compact();
  }

  /** True counts at time `at` (the last change at or before it). */
  at(at: number): { visible: number; inFlight: number } {
    let low = this.start;
    let high = this.times.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.times[middle] ?? Infinity) <= at) low = middle;
      else high = middle - 1;
    }
    return { visible: this.visibleAt[low] ?? 0, inFlight: this.inFlightAt[low] ?? 0 };
  }

  private compact(): void {
    this.times = this.times.slice(this.start);
    this.visibleAt = this.visibleAt.slice(this.start);
    this.inFlightAt = this.inFlightAt.slice(this.start);
    this.start = 0;
  }
}
