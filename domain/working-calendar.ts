import { addDays, isoDateSchema, weekdayOf } from './calendar-date.ts';
import { arrangementPublished, isChinaHoliday, isChinaMakeUpWorkday } from './china-holidays.ts';
import * as z from './zod.ts';

/**
 * A tenant's working calendar (7.2.1: feedback is handled within 5 *working* days).
 *
 * What "within n working days of receipt" means here, precisely:
 * - Days are the tenant's calendar days in its time zone (default Asia/Shanghai).
 * - The day of receipt is never counted, whatever time it is received and whether or not it
 *   is a working day: counting starts with the next working day.
 * - A working day is a day that is not a weekend day nor a holiday, or that is a make-up
 *   working day (调休: a weekend day declared a working day) — make-up days count.
 * - The deadline is the end of the n-th working day: 00:00 local time of the day after it.
 *
 * So feedback received on a Friday evening is due at the end of the next Friday; received on
 * the eve of a holiday, its count starts after the holiday; received on a make-up Sunday, its
 * count starts on the Monday.
 */

/** `HH:MM`, 24-hour local time. */
const timeOfDaySchema = z
  .string()
  .check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'a time of day, HH:MM' }));

export const calendarSettingsSchema = z.object({
  /** 0 = Sunday … 6 = Saturday. */
  weekendDays: z._default(z.array(z.int().check(z.minimum(0), z.maximum(6))).check(z.maxLength(6)), [0, 6]),
  /** Apply mainland China's official holidays and make-up working days. */
  chinaPublicHolidays: z._default(z.boolean(), true),
  /** The tenant's own closures (ISO dates), e.g. a company holiday. */
  closures: z._default(z.array(isoDateSchema).check(z.maxLength(400)), []),
  /** The tenant's own extra working days (ISO dates), e.g. a make-up Saturday of its own. */
  extraWorkingDays: z._default(z.array(isoDateSchema).check(z.maxLength(400)), []),
  /**
   * When staff are at work on a working day (local time): warnings go out inside these hours,
   * and the top of the escalation ladder is reminded at their start each working morning.
   */
  workingHours: z.optional(
    z
      .object({ start: timeOfDaySchema, end: timeOfDaySchema })
      .check(
        z.refine((hours) => hours.start < hours.end, { message: 'start must be before end', path: ['end'] }),
      ),
  ),
});
export type CalendarSettings = z.infer<typeof calendarSettingsSchema>;

export interface WorkingCalendar extends CalendarSettings {
  timeZone: string;
}

/** A working day's hours when the tenant has not set its own. */
export const DEFAULT_WORKING_HOURS = { start: '09:00', end: '18:00' } as const;

/** Why a day is or is not a working day, in the order the rules apply (the tenant's own days first). */
export type DayKind =
  | 'extra_working_day'
  | 'closure'
  | 'make_up_working_day'
  | 'public_holiday'
  | 'weekend'
  | 'working_day';

const WORKING_KINDS: ReadonlySet<DayKind> = new Set([
  'extra_working_day',
  'make_up_working_day',
  'working_day',
]);

function dayKind(calendar: WorkingCalendar, isoDate: string): DayKind {
  if (calendar.extraWorkingDays.includes(isoDate)) return 'extra_working_day';
  if (calendar.closures.includes(isoDate)) return 'closure';
  if (calendar.chinaPublicHolidays && isChinaMakeUpWorkday(isoDate)) return 'make_up_working_day';
  if (calendar.chinaPublicHolidays && isChinaHoliday(isoDate)) return 'public_holiday';
  return calendar.weekendDays.includes(weekdayOf(isoDate)) ? 'weekend' : 'working_day';
}

export function isWorkingDay(calendar: WorkingCalendar, isoDate: string): boolean {
  return WORKING_KINDS.has(dayKind(calendar, isoDate));
}

/**
 * The calendar as the tenant's staff see it: each day from `from` to `to` (inclusive), whether
 * it is a working day and why, and whether that rests on an unpublished holiday arrangement.
 */
export function calendarDays(
  calendar: WorkingCalendar,
  from: string,
  to: string,
): { date: string; working: boolean; kind: DayKind; estimated: boolean }[] {
  const days = [];
  // Bounded by count as well as by date: a range is at most what a query allows.
  for (let date = from, i = 0; date <= to && i < 800; date = addDays(date, 1), i++) {
    const kind = dayKind(calendar, date);
    days.push({
      date,
      working: WORKING_KINDS.has(kind),
      kind,
      estimated: calendar.chinaPublicHolidays && !arrangementPublished(Number(date.slice(0, 4))),
    });
  }
  return days;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function localParts(timeZone: string, at: Date) {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}:${parts.second}`,
  };
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in a time zone. */
export function localDate(timeZone: string, at: Date): string {
  // en-CA writes a date as YYYY-MM-DD; format() is about 3× cheaper than formatToParts, and
  // reports call this once per survey and case.
  let f = dateFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormatters.set(timeZone, f);
  }
  return f.format(at);
}

/** The wall-clock time of an instant in a time zone, as a `datetime-local` input holds it (`YYYY-MM-DDTHH:mm`). */
export function localDateTime(timeZone: string, at: Date): string {
  const { date, time } = localParts(timeZone, at);
  return `${date}T${time.slice(0, 5)}`;
}

/**
 * The instant a wall-clock time (`YYYY-MM-DDTHH:mm`) names in a time zone: what a time typed by
 * staff means when the page shows the tenant's zone, wherever the browser is (#37). A time a DST
 * change skips is read with the offset before the change (02:30 → 03:30); a time it repeats is
 * its first occurrence.
 */
export function instantOfLocalTime(timeZone: string, local: string): Date {
  const asUtc = Date.parse(`${local}:00Z`);
  if (Number.isNaN(asUtc)) throw new RangeError(`not a local date and time: ${local}`);
  const offsetAt = (instant: number) => {
    const parts = localParts(timeZone, new Date(instant));
    return Date.parse(`${parts.date}T${parts.time}Z`) - Math.floor(instant / 1000) * 1000;
  };
  // The offsets an hour either side: the earlier one decides a repeated hour and a skipped one.
  const before = offsetAt(asUtc - offsetAt(asUtc) - 3_600_000);
  const after = offsetAt(asUtc - offsetAt(asUtc) + 3_600_000);
  const earlier = asUtc - before;
  if (localDateTime(timeZone, new Date(earlier)) === local) return new Date(earlier);
  const later = asUtc - after;
  if (localDateTime(timeZone, new Date(later)) === local) return new Date(later);
  return new Date(earlier);
}

/**
 * The instant a local day begins. Where a DST change skips midnight, the day begins at the
 * first instant that falls on that date.
 */
export function startOfLocalDay(timeZone: string, isoDate: string): Date {
  // Usually midnight exists: UTC midnight less the zone's offset then. Checked, since an offset
  // change near midnight can make the guess wrong; then the search below decides.
  const utcMidnight = Date.parse(`${isoDate}T00:00:00Z`);
  const offsetAt = (instant: number) => {
    const local = localParts(timeZone, new Date(instant));
    return Date.parse(`${local.date}T${local.time}Z`) - Math.floor(instant / 1000) * 1000;
  };
  const guess = utcMidnight - offsetAt(utcMidnight - offsetAt(utcMidnight));
  const atGuess = localParts(timeZone, new Date(guess));
  if (
    atGuess.date === isoDate &&
    atGuess.time === '00:00:00' &&
    localDate(timeZone, new Date(guess - 1000)) < isoDate
  )
    return new Date(guess);
  // Offsets are within ±14 h: search from 14 h before UTC midnight for the first instant on the date.
  let low = Date.parse(`${isoDate}T00:00:00Z`) - 14 * 3_600_000;
  let high = Date.parse(`${isoDate}T00:00:00Z`) + 14 * 3_600_000;
  while (high - low > 1000) {
    const mid = low + Math.floor((high - low) / 2000) * 1000;
    if (localParts(timeZone, new Date(mid)).date < isoDate) low = mid;
    else high = mid;
  }
  return new Date(high);
}

/** The deadline n working days after `start` (see the definition at the top of this file). */
export function addWorkingDays(calendar: WorkingCalendar, start: Date, n: number): Date {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('n must be a non-negative integer');
  let date = localDate(calendar.timeZone, start);
  let counted = 0;
  while (counted < n) {
    date = addDays(date, 1);
    if (isWorkingDay(calendar, date)) counted += 1;
  }
  return n === 0 ? start : startOfLocalDay(calendar.timeZone, addDays(date, 1));
}

/** Working time between two instants, in milliseconds: only the parts that fall on working days. */
export function workingTimeBetween(calendar: WorkingCalendar, a: Date, b: Date): number {
  if (b <= a) return -workingTimeBetween(calendar, b, a);
  let total = 0;
  let date = localDate(calendar.timeZone, a);
  let cursor = a.getTime();
  while (cursor < b.getTime()) {
    const nextDay = addDays(date, 1);
    const dayEnd = Math.min(startOfLocalDay(calendar.timeZone, nextDay).getTime(), b.getTime());
    if (isWorkingDay(calendar, date)) total += dayEnd - cursor;
    cursor = dayEnd;
    date = nextDay;
  }
  return total;
}

/**
 * The years a span of the calendar touches whose official holiday arrangement is not published
 * yet, so that counting working days over it is an estimate (none when the tenant does not
 * follow China's public holidays).
 */
export function estimatedYears(calendar: WorkingCalendar, from: Date, to: Date): number[] {
  if (!calendar.chinaPublicHolidays) return [];
  const first = Number(localDate(calendar.timeZone, from).slice(0, 4));
  const last = Number(localDate(calendar.timeZone, to).slice(0, 4));
  const years: number[] = [];
  for (let year = first; year <= last; year++) if (!arrangementPublished(year)) years.push(year);
  return years;
}

const minutesOf = (timeOfDay: string) => Number(timeOfDay.slice(0, 2)) * 60 + Number(timeOfDay.slice(3, 5));

/**
 * When working hours begin and end on a day. Counted from the local day's start, so on the day
 * a DST change happens the hours are shifted by it: no tenant we serve works across a change.
 */
function workingHoursOn(calendar: WorkingCalendar, isoDate: string): { start: Date; end: Date } {
  const hours = calendar.workingHours ?? DEFAULT_WORKING_HOURS;
  const dayStart = startOfLocalDay(calendar.timeZone, isoDate).getTime();
  return {
    start: new Date(dayStart + minutesOf(hours.start) * 60_000),
    end: new Date(dayStart + minutesOf(hours.end) * 60_000),
  };
}

/** More than a year of closures cannot be configured (400 of them at most): searches end there. */
const SEARCH_DAYS = 800;

/** The first instant at or after `at` that falls in working hours on a working day. */
export function nextWorkingMoment(calendar: WorkingCalendar, at: Date): Date {
  let date = localDate(calendar.timeZone, at);
  for (let i = 0; i < SEARCH_DAYS; i++, date = addDays(date, 1)) {
    if (!isWorkingDay(calendar, date)) continue;
    const { start, end } = workingHoursOn(calendar, date);
    if (at < start) return start;
    if (at < end) return at;
  }
  return at;
}

/** The start of working hours on the first working day after `isoDate`. */
export function nextWorkingMorning(calendar: WorkingCalendar, isoDate: string): { date: string; at: Date } {
  let date = addDays(isoDate, 1);
  for (let i = 0; i < SEARCH_DAYS && !isWorkingDay(calendar, date); i++) date = addDays(date, 1);
  return { date, at: workingHoursOn(calendar, date).start };
}

/** The latest start of working hours on a working day that is at or before `at` (within a month), if any. */
export function lastWorkingMorning(
  calendar: WorkingCalendar,
  at: Date,
): { date: string; at: Date } | undefined {
  let date = localDate(calendar.timeZone, at);
  for (let i = 0; i < 31; i++, date = addDays(date, -1)) {
    if (!isWorkingDay(calendar, date)) continue;
    const { start } = workingHoursOn(calendar, date);
    if (start <= at) return { date, at: start };
  }
  return undefined;
}
