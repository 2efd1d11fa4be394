/**
 * What is due when, earliest first, for a stand-in that keeps thousands of timers (the local
 * Scheduler's wake-ups): one timer per item would make every tick of the virtual clock scan them
 * all (@sinonjs/fake-timers looks for the next timer by walking every one). A binary heap keyed
 * by due time, then by when the item was queued; an item queued again under the same key
 * replaces its earlier due time, and a removed one is dropped when it reaches the top, or when
 * dropped entries outnumber the live ones (wake-ups are deleted days before they were due).
 */
export class DueQueue<T> {
  private readonly heap: { dueMs: number; order: number; key: string; value: T }[] = [];
  private readonly current = new Map<string, number>();
  private queued = 0;

  /** Queues `value` under `key` for `dueMs`, in place of what the key held. */
  set(key: string, dueMs: number, value: T): void {
    const order = this.queued++;
    this.current.set(key, order);
    this.heap.push({ dueMs, order, key, value });
    this.up(this.heap.length - 1);
    this.compactIfMostlyDropped();
  }

  delete(key: string): void {
    this.current.delete(key);
    this.compactIfMostlyDropped();
  }

  get size(): number {
    return this.current.size;
  }

  /** The earliest due time still queued. */
  nextDueMs(): number | undefined {
    this.dropRemoved();
    return this.heap[0]?.dueMs;
  }

  /** Takes out, earliest first, everything due at or before `nowMs`. */
  takeDue(nowMs: number): { key: string; value: T }[] {
    const due: { key: string; value: T }[] = [];
    for (;;) {
      this.dropRemoved();
      const top = this.heap[0];
      if (!top || top.dueMs > nowMs) return due;
      this.pop();
      this.current.delete(top.key);
      due.push({ key: top.key, value: top.value });
    }
  }

  /** Keeps only the live entries, once they are outnumbered (rebuilt: amortised over the removals). */
  private compactIfMostlyDropped(): void {
    if (this.heap.length <= 2 * this.current.size + 64) return;
    const live = this.heap.filter((entry) => this.current.get(entry.key) === entry.order);
    this.heap.length = 0;
    for (const entry of live) {
      this.heap.push(entry);
      this.up(this.heap.length - 1);
    }
  }

  private dropRemoved(): void {
    while (this.heap.length > 0 && this.current.get(this.heap[0]!.key) !== this.heap[0]!.order) this.pop();
  }

  private before(a: number, b: number): boolean {
    const x = this.heap[a]!;
    const y = this.heap[b]!;
    return x.dueMs < y.dueMs || (x.dueMs === y.dueMs && x.order < y.order);
  }

  private swap(a: number, b: number): void {
    [this.heap[a], this.heap[b]] = [this.heap[b]!, this.heap[a]!];
  }

  private up(index: number): void {
    let child = index;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.before(child, parent)) return;
      this.swap(child, parent);
      child = parent;
    }
  }

  private pop(): void {
    const last = this.heap.pop();
    if (this.heap.length === 0 || last === undefined) return;
    this.heap[0] = last;
    let parent = 0;
    for (;;) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let first = parent;
      if (left < this.heap.length && this.before(left, first)) first = left;
      if (right < this.heap.length && this.before(right, first)) first = right;
      if (first === parent) return;
      this.swap(parent, first);
      parent = first;
    }
  }
}
