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
