import chineseDays from 'chinese-days';
import official from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

/**
 * Mainland China's public holidays and make-up working days (调休).
 *
 * Published arrangements (the State Council's yearly notice, via the maintained chinese-days
 * package, or `laterArrangements` below) are used for every year they cover: today 2004–2026. For a later year whose notice
 * is not yet in the package, the statutory holidays themselves are still known, because the
 * law fixes them (全国年节及纪念日放假办法, 2024 revision): New Year's Day, Spring Festival eve
 * and the first three days, Qingming, 1–2 May, Dragon Boat, Mid-Autumn, 1–3 October. What is
 * not known until the notice is the bridging days off and the make-up working days; those
 * years are reported by `arrangementPublished` so callers can say so.
 */
/**
 * Arrangements published after the chinese-days release we ship: add a year here, from the
 * State Council's notice (国务院办公厅关于<year>年部分节假日安排的通知), until the package has it.
 * Every date a holiday (days off) or a make-up working day (调休上班).
 */
export const laterArrangements: Record<number, { holidays: string[]; makeUpWorkdays: string[] }> = {};

const holidays = new Set([
  ...Object.keys(official.holidays),
  ...Object.values(laterArrangements).flatMap((a) => a.holidays),
]);
const makeUpWorkdays = new Set([
  ...Object.keys(official.workdays),
  ...Object.values(laterArrangements).flatMap((a) => a.makeUpWorkdays),
]);
const publishedYears = new Set([...holidays].map((date) => Number(date.slice(0, 4))));

export function arrangementPublished(year: number): boolean {
  return publishedYears.has(year);
}

const statutoryCache = new Map<number, Set<string>>();

function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The statutory holidays of a year, from the law alone (no bridging, no make-up days). */
export function statutoryHolidays(year: number): Set<string> {
  let days = statutoryCache.get(year);
  if (!days) {
    const lunar = (monthDay: string) => chineseDays.getSolarDateFromLunar(`${year}-${monthDay}`).date;
    const springFestival = lunar('01-01');
    const qingming = chineseDays
      .getSolarTermsInRange(`${year}-04-01`, `${year}-04-10`)
      .find((term) => term.term === 'pure_brightness' && term.index === 1)?.date;
    days = new Set(
      [
        `${year}-01-01`,
        addDays(springFestival, -1),
        springFestival,
        addDays(springFestival, 1),
        addDays(springFestival, 2),
        qingming,
        `${year}-05-01`,
        `${year}-05-02`,
        lunar('05-05'),
        lunar('08-15'),
        `${year}-10-01`,
        `${year}-10-02`,
        `${year}-10-03`,
      ].filter((d): d is string => typeof d === 'string'),
    );
    statutoryCache.set(year, days);
  }
  return days;
}

/** Whether a date is a public holiday (published arrangement, or statutory days for later years). */
export function isChinaHoliday(isoDate: string): boolean {
  const year = Number(isoDate.slice(0, 4));
  return arrangementPublished(year) ? holidays.has(isoDate) : statutoryHolidays(year).has(isoDate);
}

/** Whether a weekend date is a make-up working day (only known from a published arrangement). */
export function isChinaMakeUpWorkday(isoDate: string): boolean {
  return makeUpWorkdays.has(isoDate);
}
