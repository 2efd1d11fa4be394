/**
 * The rules of the watched-subject mechanism (#17, workflows/watched-subject.ts) that are not
 * about any one subject: what starts a burst, and when a parked subject wakes (who may claim is
 * the claim's write condition, functions/shared/watched-subject.ts).
 */

/** What started a burst: said on the subject's timeline with the burst's generation and execution. */
export const burstTriggers = [
  'intake',
  'staff',
  'customer',
  'storefront',
  'dailyRun',
  'timer',
  'reconciler',
  'operator',
] as const;
export type BurstTrigger = (typeof burstTriggers)[number];

/**
 * When a subject parked at `now` for `waitSeconds` wakes: a schedule's `at()` has whole seconds,
 * rounded up so it never wakes before what it waits for (waking early would only park again).
 */
export function wakeUpAt(now: Date, waitSeconds: number): Date {
  return new Date(Math.ceil((now.getTime() + Math.max(1, waitSeconds) * 1000) / 1000) * 1000);
}

/**
 * The reconciler's patience with one subject (#32, #34). It restarts a lifecycle that should have
 * acted and did not (a lost wake-up, a failed burst); a start that Step Functions refused is not a
 * restart and is tried again at the next pass, so a Step Functions outage of any length ends with
 * every subject restarted within a pass of its end. Restarts that did start are counted over a
 * day, parks or not (a subject that keeps needing them has something wrong with it):
 * - while something is due now (an escalation, a reminder: a promise already late), the next look
 *   is the next pass, for as long as it takes: a dependency's return is met within minutes;
 * - while nothing is due, the next look backs off (5, 10, 20, 40 minutes, then hourly) but never
 *   past the moment something falls due: a burst that cannot park (Scheduler down) still runs at
 *   every deadline and sends what is due, and parks again once it can;
 * - after restarts spread over hours, the lifecycle is declared abandoned (alarmed, listed for the
 *   operator) and still looked at as above: giving up is never final while a promise is open.
 */
export const RECONCILER_WINDOW_SECONDS = 24 * 3600;
export const ABANDON_AFTER_RESTARTS = 5;
export const ABANDON_AFTER_SECONDS = 3 * 3600;
const BACK_OFF_FIRST_SECONDS = 5 * 60;
const BACK_OFF_MAX_SECONDS = 3600;

export interface RestartHistory {
  /** Restarts counted in the current window (absent: none). */
  restarts?: number;
  /** When the window's first restart was. */
  since?: string;
}

/** The history after one more restart at `at`: a window older than a day starts again. */
export function afterRestart(history: RestartHistory, at: Date): { restarts: number; since: string } {
  const since = history.since ? Date.parse(history.since) : Number.NaN;
  const current =
    history.restarts && Number.isFinite(since) && at.getTime() - since < RECONCILER_WINDOW_SECONDS * 1000;
  return current
    ? { restarts: history.restarts! + 1, since: history.since! }
    : { restarts: 1, since: at.toISOString() };
}

/**
 * Seconds until the reconciler looks at the subject again after restarting it (if its burst
 * parks meanwhile, the park's own watch replaces this). `dueInSeconds`: when something next falls
 * due, as the subject's route says (0: something is due now); `graceSeconds`: the least time a
 * burst is given to park, so the next pass is the soonest look.
 */
export function nextLookSeconds(restarts: number, dueInSeconds: number, graceSeconds: number): number {
  if (dueInSeconds <= 0) return graceSeconds;
  const backOff = Math.min(BACK_OFF_FIRST_SECONDS * 2 ** Math.max(0, restarts - 1), BACK_OFF_MAX_SECONDS);
  return Math.max(graceSeconds, Math.min(backOff, dueInSeconds));
}

/** Whether these restarts, spread over hours, make the lifecycle one the operators must look at. */
export function isAbandoned(history: { restarts: number; since: string }, at: Date): boolean {
  return (
    history.restarts >= ABANDON_AFTER_RESTARTS &&
    at.getTime() - Date.parse(history.since) >= ABANDON_AFTER_SECONDS * 1000
  );
}
