import { addDays, weekdayOf } from './calendar-date.ts';
import { chinaCalendarData } from './china-calendar.generated.ts';
import { laterNotices } from './china-holiday-notices.ts';
import { type HolidayArrangement, HolidayNoticeError, parseHolidayNotice } from './holiday-notice.ts';

/**
 * Mainland China's public holidays and make-up working days (调休).
 *
 * Published arrangements (the State Council's yearly notice, via the maintained chinese-days
 * package, shipped compactly as china-calendar.generated.ts, or a notice in china-holiday-notices.ts) are used for every year they cover: today
 * 2004–2026. For a later year the law still fixes most of it (全国年节及纪念日放假办法, 2024
 * revision): New Year's Day, Spring Festival eve and the first three days, Qingming, 1–2 May,
 * Dragon Boat, Mid-Autumn, 1–3 October, and (article 6) a weekday off for each of those that
 * falls on a weekend. What only the notice says is the bridging days off and the make-up
 * working days; `arrangementPublished` tells callers which years are still estimates.
 */

/** "0101-0103 0404" (china-calendar.generated.ts's runs of MMDD) to the ISO dates they cover. */
function datesOf(year: string, runs: string): string[] {
  const iso = (md: string) => `${year}-${md.slice(0, 2)}-${md.slice(2)}`;
  return runs
    ? runs.split(' ').flatMap((run) => {
        const [from, to = from] = run.split('-').map(iso) as [string, string?];
        const dates = [from];
        while (dates.at(-1)! < to) dates.push(addDays(dates.at(-1)!, 1));
        return dates;
      })
    : [];
}
const published = Object.entries(chinaCalendarData.published);
const holidays = new Set(published.flatMap(([year, days]) => datesOf(year, days.holidays)));
const makeUpWorkdays = new Set(published.flatMap(([year, days]) => datesOf(year, days.makeUpWorkdays)));
const publishedYears = new Set(published.map(([year]) => Number(year)));
const chineseDaysYears = new Set(publishedYears);

/**
 * The arrangements of notices shipped in china-holiday-notices.ts. One that does not read is
 * refused, and so is one for a year chinese-days already covers (two sources for one year could
 * disagree): loading this module then fails, so the test suite fails before any deploy.
 */
export function laterArrangements(notices: readonly string[]): HolidayArrangement[] {
  return notices.map((notice) => {
    const arrangement = parseHolidayNotice(notice);
    if (chineseDaysYears.has(arrangement.year))
      throw new HolidayNoticeError(
        `chinese-days already has ${arrangement.year}: remove its notice from china-holiday-notices.ts`,
      );
    return arrangement;
  });
}

/**
 * Adds a year's published arrangement to the ones shipped in chinese-days: the notices in
 * china-holiday-notices.ts at load time (and a test standing in for a deploy that brings one).
 */
export function addPublishedArrangement(arrangement: HolidayArrangement): void {
  for (const day of arrangement.holidays) holidays.add(day);
  for (const day of arrangement.makeUpWorkdays) makeUpWorkdays.add(day);
  publishedYears.add(arrangement.year);
}
for (const arrangement of laterArrangements(laterNotices)) addPublishedArrangement(arrangement);

export function arrangementPublished(year: number): boolean {
  return publishedYears.has(year);
}

/**
 * How far ahead a missing arrangement is worth an alarm. The State Council publishes the next
 * year's notice in November (in December at the latest so far), so from 1 December a missing
 * year is a notice someone can ship; earlier, an alarm would only ask them to wait.
 */
const ARRANGEMENT_LOOKAHEAD_DAYS = 31;

/**
 * The years from `at` to ARRANGEMENT_LOOKAHEAD_DAYS later that have no published arrangement:
 * deadlines counted over them are estimates until someone ships the notice.
 */
export function arrangementsMissing(at: Date): number[] {
  const first = at.getUTCFullYear();
  const last = new Date(at.getTime() + ARRANGEMENT_LOOKAHEAD_DAYS * 86_400_000).getUTCFullYear();
  const missing: number[] = [];
  for (let year = first; year <= last; year++) if (!publishedYears.has(year)) missing.push(year);
  return missing;
}

const statutoryCache = new Map<number, Set<string>>();

const isWeekend = (isoDate: string) => [0, 6].includes(weekdayOf(isoDate));

/**
 * The days off a year has by law alone: the statutory holidays, and for each that falls on a
 * Saturday or Sunday the next weekday not already off (article 6: 适逢周六、周日，应当在工作日补假).
 * A published arrangement always contains these; it adds bridging days and make-up working days.
 */
export function statutoryHolidays(year: number): Set<string> {
  let days = statutoryCache.get(year);
  if (!days) {
    const lunarDates = chinaCalendarData.lunar[year];
    if (!lunarDates)
      throw new RangeError(
        `No lunar dates for ${year} in china-calendar.generated.ts: run npm run china-calendar`,
      );
    const [springFestival, qingming, dragonBoat, midAutumn] = datesOf(String(year), lunarDates) as [
      string,
      string,
      string,
      string,
    ];
    const statutory = [
      `${year}-01-01`,
      addDays(springFestival, -1),
      springFestival,
      addDays(springFestival, 1),
      addDays(springFestival, 2),
      qingming,
      `${year}-05-01`,
      `${year}-05-02`,
      dragonBoat,
      midAutumn,
      `${year}-10-01`,
      `${year}-10-02`,
      `${year}-10-03`,
    ].sort();
    days = new Set(statutory);
    for (const day of statutory) {
      if (!isWeekend(day)) continue;
      let inLieu = addDays(day, 1);
      while (isWeekend(inLieu) || days.has(inLieu)) inLieu = addDays(inLieu, 1);
      days.add(inLieu);
    }
    statutoryCache.set(year, days);
  }
  return days;
}

/** Whether a date is a day off: from the published arrangement, or by law for a year without one. */
export function isChinaHoliday(isoDate: string): boolean {
  const year = Number(isoDate.slice(0, 4));
  return arrangementPublished(year) ? holidays.has(isoDate) : statutoryHolidays(year).has(isoDate);
}

/** Whether a weekend date is a make-up working day (only known from a published arrangement). */
export function isChinaMakeUpWorkday(isoDate: string): boolean {
  return makeUpWorkdays.has(isoDate);
}
