import { addDays, isoDateSchema } from '#domain/calendar-date.ts';
import { startOfLocalDay } from '#domain/working-calendar.ts';
import * as z from '#domain/zod.ts';

/**
 * `?from&to[&…]`: the first and last day (inclusive) of the tenant's calendar a list or report
 * covers, at most `maxDays` days, with the route's other parameters.
 */
export const dayRangeQuery = <Extra extends z.core.$ZodLooseShape>(maxDays: number, extra: Extra) => {
  // zod cannot see `from` and `to` through the generic spread; they are there.
  const range = (q: unknown) => q as { from: string; to: string };
  // What JSON Schema cannot state about the pair is said in `to`'s description.
  const from = isoDateSchema.check(z.describe("The first day, in the tenant's time zone"));
  const to = isoDateSchema.check(
    z.describe(`The last day (inclusive): not before \`from\`, and at most ${maxDays} days in all`),
  );
  return z.strictObject({ from, to, ...extra }).check(
    z.refine((q) => range(q).from <= range(q).to, { message: 'from must not be after to', path: ['to'] }),
    z.refine((q) => Date.parse(range(q).to) - Date.parse(range(q).from) < maxDays * 86_400_000, {
      message: `at most ${maxDays} days at a time`,
      path: ['to'],
    }),
  );
};

/** The instants [from, to) the days from `from` to `to` (inclusive) cover in a time zone. */
export function instantsOfDays(timeZone: string, from: string, to: string): { from: string; to: string } {
  return {
    from: startOfLocalDay(timeZone, from).toISOString(),
    to: startOfLocalDay(timeZone, addDays(to, 1)).toISOString(),
  };
}
