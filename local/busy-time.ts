/**
 * Real time during which at least one piece of some work was running. Run one at a time, that
 * is the sum of their durations; run side by side on this one thread (the simulation fires
 * timers together), each one's wall time also counts the others', and the busy time is what
 * they would take one after another: the duration AWS, running each on its own, would bill.
 */
export class BusyTime {
  private running = 0;
  private since = 0;
  private total = 0;

  start(): void {
    if (this.running++ === 0) this.since = performance.now();
  }

  end(): void {
    if (--this.running === 0) this.total += performance.now() - this.since;
  }

  milliseconds(): number {
    return this.total + (this.running > 0 ? performance.now() - this.since : 0);
  }
}
