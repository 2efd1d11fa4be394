/**
 * The rules of the watched-subject mechanism (#17, workflows/watched-subject.ts) that are not
 * about any one subject: who may claim a subject, and when a parked subject wakes.
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
 * Whether a burst may claim a subject whose generation is `stored`. A trigger that names the
 * generation it saw (a wake-up, the reconciler, intake) loses once another burst claimed since:
 * that is how a schedule firing twice, a late one, or a duplicate Express start changes nothing.
 * Staff and customers name none: their change is newer than whatever runs, so they always win,
 * and the burst they supersede ends at its next step.
 */
export function mayClaim(stored: number, expectGeneration: number | null): boolean {
  return expectGeneration === null || expectGeneration === stored;
}

/**
 * When a subject parked at `now` for `waitSeconds` wakes: a schedule's `at()` has whole seconds,
 * rounded up so it never wakes before what it waits for (waking early would only park again).
 */
export function wakeUpAt(now: Date, waitSeconds: number): Date {
  return new Date(Math.ceil((now.getTime() + Math.max(1, waitSeconds) * 1000) / 1000) * 1000);
}
