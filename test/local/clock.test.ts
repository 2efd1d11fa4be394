import { timers as realTimers } from '@sinonjs/fake-timers';
import { afterEach, describe, expect, it } from 'vitest';
import { tracked } from '#local/activity.ts';
import { createClock, type LocalClock } from '#local/clock.ts';

/**
 * The virtual clock fires each due timer and lets the work it starts finish before the next one
 * (a level-1 escalation has written before level 2 is due); with a timer window (the simulation
 * only) timers due that close together fire side by side, each at most the window late.
 */
const realSetTimeout = realTimers.setTimeout as (callback: () => void, ms: number) => unknown;
const realSetImmediate = realTimers.setImmediate as (callback: () => void) => unknown;

let clock: LocalClock | undefined;
afterEach(() => clock?.uninstall());

/** Timers at 10 s, 25 s and 90 s, each starting 20 ms of real work: what happened, in order. */
async function fireThree(timerWindowMs?: number) {
  clock = createClock({ mode: 'virtual', startAt: new Date('2026-05-01T00:00:00Z'), timerWindowMs });
  const start = clock.now().getTime();
  const events: string[] = [];
  const firedAt: Record<string, number> = {};
  for (const [name, seconds] of [
    ['a', 10],
    ['b', 25],
    ['c', 90],
  ] as const) {
    setTimeout(() => {
      firedAt[name] = (Date.now() - start) / 1000;
      void tracked(async () => {
        events.push(`${name} starts`);
        await new Promise<void>((resolve) => realSetTimeout(resolve, 20));
        events.push(`${name} ends`);
      }, `timer ${name}`);
    }, seconds * 1000);
  }
  await clock.advance(120);
  return { events, firedAt, now: (clock.now().getTime() - start) / 1000 };
}

describe('the virtual clock', () => {
  it('fires one timer at a time at its second, its work done before the next fires', async () => {
    const { events, firedAt, now } = await fireThree();
    expect(events).toEqual(['a starts', 'a ends', 'b starts', 'b ends', 'c starts', 'c ends']);
    expect(firedAt).toEqual({ a: 10, b: 25, c: 90 });
    expect(now).toBe(120);
  });

  it('with a 30 s window, runs timers due that close together side by side, and no others', async () => {
    const { events, firedAt, now } = await fireThree(30_000);
    // a and b are 15 s apart: both fire before either's work ends; c is a minute later and waits.
    expect(events.slice(0, 2).sort()).toEqual(['a starts', 'b starts']);
    expect(events.slice(4)).toEqual(['c starts', 'c ends']);
    // Each callback still runs at its own second.
    expect(firedAt).toEqual({ a: 10, b: 25, c: 90 });
    expect(now).toBe(120);
  });

  it('counts the times it moved on past work in flight, by how much, and what was in flight', async () => {
    await fireThree();
    expect(clock!.stalls()).toEqual({ count: 0, virtualSeconds: 0, inFlight: [] });
    clock!.uninstall();

    // Work waiting on a virtual 45 s timer holds the clock for the stall time, then time moves
    // on to the timer (which ends the work) and on to the target with nothing in flight.
    clock = createClock({ mode: 'virtual', startAt: new Date('2026-05-01T00:00:00Z') });
    let waited = false;
    const work = tracked(async () => {
      await new Promise<void>((resolve) => setTimeout(resolve, 45_000));
      waited = true;
    }, 'DynamoDB GetItem');
    await clock.advance(60);
    await work;
    expect(waited).toBe(true);
    expect(clock.stalls()).toEqual({ count: 1, virtualSeconds: 45, inFlight: [{ 'DynamoDB GetItem': 1 }] });
  });

  it('does not take busy work for stuck work: the timer waits for work that computes for most of a second', async () => {
    // A thousand bursts whose calls move through their stages together: for most of a second
    // nothing starts or ends, and the CPU is busy. That is not stuck work: the timer waits.
    clock = createClock({ mode: 'virtual', startAt: new Date('2026-05-01T00:00:00Z') });
    const events: string[] = [];
    setTimeout(() => events.push('timer fires'), 10_000);
    const work = tracked(async () => {
      const until = performance.now() + 800;
      while (performance.now() < until) {
        const slice = performance.now() + 20;
        while (performance.now() < slice) {
          // computing
        }
        await new Promise<void>((resolve) => realSetImmediate(resolve));
      }
      events.push('work done');
    }, 'busy work');
    await clock.advance(60);
    await work;
    expect(events).toEqual(['work done', 'timer fires']);
    expect(clock.stalls()).toEqual({ count: 0, virtualSeconds: 0, inFlight: [] });
  });

  it('does not take a slow component for stuck work: a request timeout waits while DynamoDB serves the request', async () => {
    // A busy machine's disk: the component serves a request for over a second with the process
    // idle. A client's 5 s request timeout must not fire while it does (on AWS it would not).
    clock = createClock({ mode: 'virtual', startAt: new Date('2026-05-01T00:00:00Z') });
    const events: string[] = [];
    const client = tracked(async () => {
      const timeout = setTimeout(() => events.push('request timed out'), 5_000);
      await tracked(
        () => new Promise<void>((resolve) => realSetTimeout(resolve, 1_200)),
        'DynamoDB PutItem',
        { serving: true },
      );
      clearTimeout(timeout);
      events.push('answered');
    }, 'Lambda step');
    await clock.advance(60);
    await client;
    expect(events).toEqual(['answered']);
    expect(clock.stalls().count).toBe(0);
  });
});

describe('the clock’s persisted time (#34)', () => {
  it('is never behind the clock during an advance: a crash resumes at or after anything work saw', async () => {
    const persisted: number[] = [];
    clock = createClock({
      mode: 'virtual',
      startAt: new Date('2026-05-01T00:00:00Z'),
      onMove: (at) => persisted.push(at.getTime()),
    });
    const violations: number[] = [];
    for (let minute = 1; minute <= 120; minute += 7)
      setTimeout(() => {
        if (persisted.at(-1)! < Date.now()) violations.push(Date.now());
      }, minute * 60_000);
    await clock.advance(3 * 3600);
    expect(violations).toEqual([]);
    // Written ahead in steps (10 minutes), not at every timer; exact once the advance is done.
    expect(persisted.length).toBeLessThan(30);
    expect(persisted.at(-1)).toBe(clock.now().getTime());
  });

  it('starts a real clock where the data was left when that is ahead of the wall clock, and runs on from there', () => {
    const ahead = new Date(Date.now() + 53 * 86_400_000);
    clock = createClock({ mode: 'real', startAt: ahead });
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(ahead.getTime());
    clock.uninstall();
    clock = createClock({ mode: 'real', timeScale: 60, startAt: ahead });
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(ahead.getTime());
  });
});
