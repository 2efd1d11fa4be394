import chineseDays from 'chinese-days';
import official from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import packageJson from 'chinese-days/package.json' with { type: 'json' };

/** The last year whose law-only holidays we can compute; a deploy after 2060 regenerates. */
export const LAST_LUNAR_YEAR = 2060;

const monthDay = (isoDate: string) => isoDate.slice(5, 7) + isoDate.slice(8, 10);

/**
 * What the working calendar needs from chinese-days, in the compact form the Lambdas ship
 * (domain/china-calendar-data.ts). Used at build time by infra/bin/china-calendar.ts and by the
 * test that checks the shipped data is current; never imported by a function.
 */
export function chinaCalendarFromPackage() {
  const byYear = (dates: string[]) => {
    const years: Record<number, string[]> = {};
    for (const date of dates.sort()) {
      const year = Number(date.slice(0, 4));
      years[year] = [...(years[year] ?? []), monthDay(date)];
    }
    return years;
  };
  const holidays = byYear(Object.keys(official.holidays));
  const makeUpWorkdays = byYear(Object.keys(official.workdays));
  const published: Record<number, { holidays: string; makeUpWorkdays: string }> = {};
  for (const year of Object.keys(holidays).map(Number))
    published[year] = {
      holidays: holidays[year]!.join(' '),
      makeUpWorkdays: (makeUpWorkdays[year] ?? []).join(' '),
    };
  const lunar: Record<number, string> = {};
  // From the first published year, so the law-only computation can be checked against it.
  for (let year = Math.min(...Object.keys(published).map(Number)); year <= LAST_LUNAR_YEAR; year++) {
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
