/** A quantity sampled over (virtual) time: its peak, and its mean weighted by how long it held. */
export interface Stats {
  peak: number;
  mean: number;
}

export class TimedStats {
  private last?: { at: number; value: number };
  private area = 0;
  private first?: number;
  private peak = 0;

  sample(at: number, value: number): void {
    if (this.last) this.area += this.last.value * (at - this.last.at);
    this.first ??= at;
    this.last = { at, value };
    this.peak = Math.max(this.peak, value);
  }

  stats(): Stats {
    const span = this.last && this.first !== undefined ? this.last.at - this.first : 0;
    return { peak: this.peak, mean: span > 0 ? this.area / span : (this.last?.value ?? 0) };
  }
}
