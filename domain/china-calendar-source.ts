import chineseDays from 'chinese-days';
import official from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import packageJson from 'chinese-days/package.json' with { type: 'json' };

/**
 * Published arrangements are shipped from this year on: deadlines are counted from the day a
 * request arrives, so earlier years only ever show in the calendar view, which then says they
 * are estimates from the law (as for a year not yet published).
 */
const FIRST_PUBLISHED_YEAR = 2020;

/** The years a date the API accepts can fall in (isoDateSchema): each has its lunar dates. */
const LUNAR_YEARS = { first: 1970, last: 2099 };

const monthDay = (isoDate: string) => isoDate.slice(5, 7) + isoDate.slice(8, 10);
const nextDay = (isoDate: string) =>
  new Date(Date.parse(`${isoDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Sorted dates of one year as runs: "0101-0103 0215-0223 0404". */
function asRuns(dates: string[]): string {
  const runs: [string, string][] = [];
  for (const date of dates) {
    const last = runs.at(-1);
    if (last && nextDay(last[1]) === date) last[1] = date;
    else runs.push([date, date]);
  }
  return runs
    .map(([from, to]) => (from === to ? monthDay(from) : `${monthDay(from)}-${monthDay(to)}`))
    .join(' ');
}

/**
 * What the working calendar needs from chinese-days, in the compact form the Lambdas ship
 * (domain/china-calendar.generated.ts). Used at build time by infra/bin/china-calendar.ts and by the
 * test that checks the shipped data is current; never imported by a function.
 */
export function chinaCalendarFromPackage() {
  const byYear = (dates: string[]) => {
    const years: Record<number, string[]> = {};
    for (const date of dates.sort()) {
      const year = Number(date.slice(0, 4));
      years[year] = [...(years[year] ?? []), date];
    }
    return years;
  };
  const holidays = byYear(Object.keys(official.holidays));
  const makeUpWorkdays = byYear(Object.keys(official.workdays));
  const published: Record<number, { holidays: string; makeUpWorkdays: string }> = {};
  for (const year of Object.keys(holidays)
    .map(Number)
    .filter((year) => year >= FIRST_PUBLISHED_YEAR))
    published[year] = {
      holidays: asRuns(holidays[year]!),
      makeUpWorkdays: asRuns(makeUpWorkdays[year] ?? []),
    };
  const lunar: Record<number, string> = {};
  for (let year = LUNAR_YEARS.first; year <= LUNAR_YEARS.last; year++) {
    const solar = (lunarMonthDay: string) =>
      chineseDays.getSolarDateFromLunar(`${year}-${lunarMonthDay}`).date;
    const qingming = chineseDays
      .getSolarTermsInRange(`${year}-04-01`, `${year}-04-10`)
      .find((term) => term.term === 'pure_brightness' && term.index === 1)?.date;
    if (!qingming) throw new Error(`chinese-days has no Qingming for ${year}`);
    lunar[year] = [solar('01-01'), qingming, solar('05-05'), solar('08-15')].map(monthDay).join(' ');
  }
  return { source: `chinese-days ${packageJson.version}`, published, lunar };
}
