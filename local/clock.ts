import { type Clock as InstalledClock, install, timers as realTimers } from '@sinonjs/fake-timers';
import { settled, workInFlightByWhat } from './activity.ts';

export type ClockMode = 'real' | 'virtual';

export interface LocalClock {
  readonly mode: ClockMode;
  readonly timeScale: number;
  now(): Date;
  /** Moves virtual time forward, firing every due timer in order and letting each step finish. */
  advance(seconds: number): Promise<Date>;
  /**
   * How often advancing moved time on while work was still in flight (stalled: no start or end
   * of work and the event loop idle, i.e. waiting on a timer), and by how much virtual time in
   * all: a bench's check that its timers did not outrun its work.
   */
  stalls(): { count: number; virtualSeconds: number; inFlight: Record<string, number>[] };
  uninstall(): void;
}

export interface ClockOptions {
  mode: ClockMode;
  /**
   * Called to persist a time the clock will not pass before it is called again (#34): ahead of
   * the clock, so that after a crash the runtime resumes at or after anything its work could
   * have seen; with the exact time at the end of each advance. Time never goes backwards.
   */
  onMove?: (notPast: Date) => void;
  /**
   * Where time starts (where the last run stopped, or later): virtual time from here; real time
   * from here too when here is ahead of the wall clock (it then runs at its speed, offset).
   */
  startAt?: Date;
  /** Real mode only: >1 runs time that many times faster (a virtual clock moved by a real interval). */
  timeScale?: number;
  /**
   * Virtual mode only: timers due within this many ms of the next one fire together, their work
   * running side by side (default 0: one at a time, each finishing first). The simulation uses it
   * to run a month of timers at the machine's speed; each fires at most this late, as AWS's own
   * timers do (Scheduler fires up to a minute late).
   */
  timerWindowMs?: number;
}

/** How far ahead of the clock its persisted time runs: at most this much forward after a crash. */
const PERSIST_AHEAD_MS = 10 * 60_000;

/**
 * The one clock of the local runtime. Handlers, the ASL interpreter's Wait and task timeouts,
 * dynalite and the local SES all read the global `Date` and `setTimeout`, so a virtual clock
 * replaces exactly those (and nothing the HTTP servers need) with @sinonjs/fake-timers.
 */
export function createClock(options: ClockOptions): LocalClock {
  const timeScale = options.timeScale ?? 1;
  const timerWindowMs = options.timerWindowMs ?? 0;
  const aheadOfTheWall = options.startAt !== undefined && options.startAt.getTime() > Date.now() + 1000;
  if (options.mode === 'real' && timeScale === 1 && !aheadOfTheWall) {
    const uninstallLongTimers = installLongTimers();
    // Real time moves by itself: persisted a minute ahead every half minute.
    const persist = () => options.onMove?.(new Date(Date.now() + 60_000));
    persist();
    const persister = realTimers.setInterval(persist, 30_000) as unknown as NodeJS.Timeout;
    persister.unref?.();
    return {
      mode: 'real',
      timeScale,
      now: () => new Date(),
      advance: async () => {
        throw new ClockNotVirtualError();
      },
      stalls: () => ({ count: 0, virtualSeconds: 0, inFlight: [] }),
      uninstall: () => {
        realTimers.clearInterval(persister);
        uninstallLongTimers();
      },
    };
  }

  const clock: InstalledClock = install({
    now: options.startAt ?? new Date(),
    toFake: ['setTimeout', 'clearTimeout', 'Date'],
    loopLimit: 100_000,
    // Timers the SDK started before the clock was installed may be cleared through it.
    shouldClearNativeTimers: true,
  });
  // Zero-delay timers (libraries deferring work) must still run while time stands still.
  const pump = realTimers.setInterval(() => clock.tick(0), 2) as unknown as NodeJS.Timeout;
  pump.unref?.();

  let advancing: Promise<Date> = Promise.resolve(new Date(clock.now));

  /** With what was in flight at the first few (local/activity.ts `tracked` says what each is). */
  const stalled = { count: 0, virtualMs: 0, inFlight: [] as Record<string, number>[] };
  /** The time last persisted: the clock does not pass it before persisting further ahead. */
  let persistedUpTo = Number.NEGATIVE_INFINITY;
  const persistBefore = (to: number) => {
    if (!options.onMove || to <= persistedUpTo) return;
    persistedUpTo = to + PERSIST_AHEAD_MS;
    options.onMove(new Date(persistedUpTo));
  };
  const persistExactly = () => {
    if (!options.onMove) return;
    persistedUpTo = clock.now;
    options.onMove(new Date(clock.now));
  };
  persistExactly();

  /**
   * Fires every timer due before the target in order, letting the work each one starts finish
   * first. Work that stalls (an AWS SDK retry waiting on its backoff timer, a request timeout,
   * a hung connection) does not hold the clock: the next due timer fires anyway. When nothing
   * more is due, the clock reaches the target even if stuck work is still in flight.
   */
  async function advanceBy(milliseconds: number): Promise<Date> {
    const target = clock.now + milliseconds;
    let state: 'settled' | 'stalled';
    const tickTo = (to: number) => {
      const from = clock.now;
      persistBefore(to);
      clock.tick(Math.max(0, to - from));
      if (state === 'stalled' && clock.now > from) {
        stalled.count += 1;
        stalled.virtualMs += clock.now - from;
        if (stalled.inFlight.length < 3) stalled.inFlight.push(workInFlightByWhat());
      }
    };
    for (;;) {
      state = await settled({ stallMs: STALL_MS });
      const nextDue = nextTimerAt(clock);
      if (nextDue === undefined || nextDue > target) break;
      tickTo(Math.min(target, nextDue + timerWindowMs));
      if (state === 'stalled') await yieldToIo();
    }
    tickTo(target);
    await settled({ stallMs: STALL_MS });
    // Scaled real time moves every 50 ms: it keeps its time persisted ahead only.
    if (options.mode === 'virtual') persistExactly();
    return new Date(clock.now);
  }

  // Serialise advances: two overlapping advances would interleave timers out of order.
  const advance = (seconds: number): Promise<Date> => {
    if (!Number.isFinite(seconds) || seconds < 0)
      throw new RangeError('seconds must be a non-negative number');
    advancing = advancing.then(() => advanceBy(seconds * 1000));
    return advancing;
  };

  const uninstallLongTimers = installLongTimers();
  let scaler: NodeJS.Timeout | undefined;
  if (options.mode === 'real') {
    // Accelerated real time: every 50 ms of real time moves the clock 50 × timeScale ms.
    const stepMs = 50;
    let busy = false;
    scaler = realTimers.setInterval(() => {
      if (busy) return;
      busy = true;
      void advanceBy(stepMs * timeScale).finally(() => {
        busy = false;
      });
    }, stepMs) as unknown as NodeJS.Timeout;
    scaler.unref?.();
  }

  return {
    mode: options.mode === 'real' ? 'real' : 'virtual',
    timeScale,
    now: () => new Date(clock.now),
    advance: options.mode === 'virtual' ? advance : async () => Promise.reject(new ClockNotVirtualError()),
    stalls: () => ({
      count: stalled.count,
      virtualSeconds: stalled.virtualMs / 1000,
      inFlight: [...stalled.inFlight],
    }),
    uninstall: () => {
      realTimers.clearInterval(pump);
      if (scaler) realTimers.clearInterval(scaler);
      uninstallLongTimers();
      clock.uninstall();
    },
  };
}

export class ClockNotVirtualError extends Error {
  override name = 'ClockNotVirtualError';
  constructor() {
    super('The clock is real: start with --clock=virtual to move time by hand');
  }
}

/** No work started or ended for this long of real time: it waits on a timer (or hangs). */
const STALL_MS = 250;

const realSetImmediate = realTimers.setImmediate as (callback: () => void) => unknown;
const yieldToIo = () => new Promise<void>((resolve) => realSetImmediate(resolve));

/** fake-timers keeps its queue in `timers` (a Map by id); it has no public peek, and advance must not overshoot. */
function nextTimerAt(clock: InstalledClock): number | undefined {
  const queue = (clock as unknown as { timers?: Map<unknown, { callAt: number }> }).timers;
  let earliest: number | undefined;
  for (const timer of queue?.values() ?? []) {
    if (earliest === undefined || timer.callAt < earliest) earliest = timer.callAt;
  }
  return earliest;
}

/** Node's (and fake-timers') longest timer: a longer delay fires after 1 ms instead. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface ChainedTimer {
  chained: true;
  current: unknown;
  ref(): ChainedTimer;
  unref(): ChainedTimer;
  hasRef(): boolean;
}

/**
 * Lets the global setTimeout wait longer than 24.8 days by chaining shorter timers, on whatever
 * clock is installed. The ASL interpreter runs Wait states, task timeouts and execution
 * timeouts on the global setTimeout, and trusting it with a 30-day wait fires it at once
 * (a lifecycle looped 3,003 times in one virtual second). Returns the uninstaller.
 */
function installLongTimers(): () => void {
  const base = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout };
  const chainedSetTimeout = (callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) => {
    // As Node does, a fraction of a millisecond is 1 ms. fake-timers would fire a 0.3 ms timer
    // without moving the clock, and the SDK's adaptive rate limiter, waiting for a fraction of a
    // token, then loops on such timers forever. (0 stays 0: "as soon as possible", which the
    // runtime's pump serves without moving time.)
    if (typeof delay === 'number' && delay > 0 && delay < 1) return base.setTimeout(callback, 1, ...args);
    if (!(typeof delay === 'number' && delay > MAX_TIMER_MS))
      return base.setTimeout(callback, delay, ...args);
    const due = Date.now() + delay;
    let referenced = true;
    const timer: ChainedTimer = {
      chained: true,
      current: undefined,
      ref: () => {
        referenced = true;
        (timer.current as NodeJS.Timeout | undefined)?.ref?.();
        return timer;
      },
      unref: () => {
        referenced = false;
        (timer.current as NodeJS.Timeout | undefined)?.unref?.();
        return timer;
      },
      hasRef: () => referenced,
    };
    const arm = () => {
      const left = due - Date.now();
      timer.current =
        left > MAX_TIMER_MS
          ? base.setTimeout(arm, MAX_TIMER_MS)
          : base.setTimeout(() => callback(...args), Math.max(0, left));
      if (!referenced) (timer.current as NodeJS.Timeout | undefined)?.unref?.();
    };
    arm();
    return timer;
  };
  const chainedClearTimeout = (timer: unknown) => {
    const t = timer as Partial<ChainedTimer> | undefined;
    base.clearTimeout((t?.chained ? t.current : timer) as NodeJS.Timeout);
  };
  Object.assign(globalThis, { setTimeout: chainedSetTimeout, clearTimeout: chainedClearTimeout });
  return () => Object.assign(globalThis, base);
}
