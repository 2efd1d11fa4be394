import * as z from './zod.ts';

/** Arithmetic on calendar dates written as ISO strings (`2026-02-14`), with no time zone in play. */

/**
 * A calendar date the product reasons about: 1970 to 2099. Nothing older matters (no goods
 * delivered before it are under warranty), and past year 9999 an ISO date gains a sign and
 * stops sorting as text, which once turned a calendar loop into one that never ended.
 */
export const isoDateSchema = z.iso.date().check(
  // A pattern, not a refinement, so the API document states the range a client may send.
  z.regex(/^(?:19[7-9][0-9]|20[0-9]{2})-/, { message: 'a date from 1970-01-01 to 2099-12-31' }),
);

export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(isoDate: string): number {
  return new Date(`${isoDate}T00:00:00Z`).getUTCDay();
}
