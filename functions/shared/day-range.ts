import { z } from 'zod';
import { addDays } from '../../domain/calendar-date.ts';
import { startOfLocalDay } from '../../domain/working-calendar.ts';

/**
 * `?from&to`: the first and last day (inclusive) of the tenant's calendar a list or report
 * covers, at most `maxDays` days.
 */
export const dayRangeQuery = (maxDays: number) =>
  z
    .object({ from: z.iso.date(), to: z.iso.date() })
    .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] })
    .refine((q) => Date.parse(q.to) - Date.parse(q.from) < maxDays * 86_400_000, {
      message: `at most ${maxDays} days at a time`,
      path: ['to'],
    });

/** The instants [from, to) the days from `from` to `to` (inclusive) cover in a time zone. */
export function instantsOfDays(timeZone: string, from: string, to: string): { from: string; to: string } {
  return {
    from: startOfLocalDay(timeZone, from).toISOString(),
    to: startOfLocalDay(timeZone, addDays(to, 1)).toISOString(),
  };
}
