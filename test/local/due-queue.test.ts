import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DueQueue } from '#local/due-queue.ts';

describe('the due queue behind the local Scheduler’s one timer', () => {
  it('gives what is due earliest first, ties in the order queued, and nothing not yet due', () => {
    const queue = new DueQueue<string>();
    queue.set('c', 30, 'third');
    queue.set('a', 10, 'first');
    queue.set('b', 10, 'second');
    queue.set('d', 40, 'later');
    expect(queue.nextDueMs()).toBe(10);
    expect(queue.takeDue(30).map((due) => due.value)).toEqual(['first', 'second', 'third']);
    expect(queue.nextDueMs()).toBe(40);
    expect(queue.takeDue(39)).toEqual([]);
    expect(queue.size).toBe(1);
  });

  it('forgets a removed key and keeps only the last due time a key was given', () => {
    const queue = new DueQueue<number>();
    queue.set('wake-up', 10, 0);
    queue.set('gone', 5, 0);
    queue.delete('gone');
    queue.set('wake-up', 20, 1);
    expect(queue.nextDueMs()).toBe(20);
    expect(queue.takeDue(100)).toEqual([{ key: 'wake-up', value: 1 }]);
    expect(queue.nextDueMs()).toBeUndefined();
  });

  it('does not keep what was removed: wake-ups deleted long before they are due', () => {
    const queue = new DueQueue<number>();
    for (let i = 0; i < 10_000; i++) queue.set(`wake-up-${i}`, 1_000_000 + i, i);
    for (let i = 0; i < 10_000; i++) if (i % 100 !== 0) queue.delete(`wake-up-${i}`);
    expect((queue as unknown as { heap: unknown[] }).heap.length).toBeLessThan(300);
    expect(queue.takeDue(2_000_000).map((due) => due.value)).toEqual(
      Array.from({ length: 100 }, (_, i) => i * 100),
    );
  });

  it('agrees with sorting, whatever is set and removed', () => {
    // Few keys and many operations: replaced and removed entries pile up and are compacted away.
    const key = fc.constantFrom(...Array.from({ length: 8 }, (_, i) => `k${i}`));
    const operation = fc.oneof(
      fc.record({ set: key, dueMs: fc.integer({ min: 0, max: 50 }) }),
      fc.record({ remove: key }),
    );
    fc.assert(
      fc.property(
        fc.array(operation, { maxLength: 400 }),
        fc.integer({ min: 0, max: 50 }),
        (operations, now) => {
          const queue = new DueQueue<number>();
          const expected = new Map<string, { dueMs: number; order: number }>();
          operations.forEach((op, order) => {
            if ('set' in op) {
              queue.set(op.set, op.dueMs, order);
              expected.set(op.set, { dueMs: op.dueMs, order });
            } else {
              queue.delete(op.remove);
              expected.delete(op.remove);
            }
          });
          const due = [...expected]
            .filter(([, entry]) => entry.dueMs <= now)
            .sort(([, x], [, y]) => x.dueMs - y.dueMs || x.order - y.order)
            .map(([key, entry]) => ({ key, value: entry.order }));
          expect(queue.takeDue(now)).toEqual(due);
          const rest = [...expected.values()]
            .filter((entry) => entry.dueMs > now)
            .map((entry) => entry.dueMs);
          expect(queue.nextDueMs()).toBe(rest.length ? Math.min(...rest) : undefined);
        },
      ),
    );
  });
});
