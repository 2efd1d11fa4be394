import { type Clock as InstalledClock, install, timers as realTimers } from '@sinonjs/fake-timers';
import { settled } from './activity.ts';

export type ClockMode = 'real' | 'virtual';

export interface LocalClock {
  readonly mode: ClockMode;
  readonly timeScale: number;
  now(): Date;
  /** Moves virtual time forward, firing every due timer in order and letting each step finish. */
  advance(seconds: number): Promise<Date>;
  uninstall(): void;
}

export interface ClockOptions {
  mode: ClockMode;
  /** Virtual mode only: where time starts (e.g. where the last run stopped). */
  startAt?: Date;
  /** Real mode only: >1 runs time that many times faster (a virtual clock moved by a real interval). */
  timeScale?: number;
}

/**
 * The one clock of the local runtime. Handlers, the ASL interpreter's Wait and task timeouts,
 * dynalite and the local SES all read the global `Date` and `setTimeout`, so a virtual clock
 * replaces exactly those (and nothing the HTTP servers need) with @sinonjs/fake-timers.
 */
export function createClock(options: ClockOptions): LocalClock {
  const timeScale = options.timeScale ?? 1;
  if (options.mode === 'real' && timeScale === 1) {
    return {
      mode: 'real',
      timeScale,
      now: () => new Date(),
      advance: async () => {
        throw new ClockNotVirtualError();
      },
      uninstall: () => {},
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

  async function advanceBy(milliseconds: number): Promise<Date> {
    const target = clock.now + milliseconds;
    for (;;) {
      await settled();
      const nextDue = nextTimerAt(clock);
      if (nextDue === undefined || nextDue > target) break;
      clock.tick(Math.max(0, nextDue - clock.now));
    }
    clock.tick(Math.max(0, target - clock.now));
    await settled();
    return new Date(clock.now);
  }

  // Serialise advances: two overlapping advances would interleave timers out of order.
  const advance = (seconds: number): Promise<Date> => {
    if (!Number.isFinite(seconds) || seconds < 0)
      throw new RangeError('seconds must be a non-negative number');
    advancing = advancing.then(() => advanceBy(seconds * 1000));
    return advancing;
  };

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
    uninstall: () => {
      realTimers.clearInterval(pump);
      if (scaler) realTimers.clearInterval(scaler);
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

/** fake-timers keeps its queue in `timers` (a Map by id); it has no public peek, and advance must not overshoot. */
function nextTimerAt(clock: InstalledClock): number | undefined {
  const queue = (clock as unknown as { timers?: Map<unknown, { callAt: number }> }).timers;
  let earliest: number | undefined;
  for (const timer of queue?.values() ?? []) {
    if (earliest === undefined || timer.callAt < earliest) earliest = timer.callAt;
  }
  return earliest;
}
