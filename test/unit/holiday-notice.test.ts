import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import official from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { laterNotices } from '#domain/china-holiday-notices.ts';
import {
  arrangementPublished,
  arrangementsMissing,
  laterArrangements,
  statutoryHolidays,
} from '#domain/china-holidays.ts';
import { HolidayNoticeError, parseHolidayNotice } from '#domain/holiday-notice.ts';

/** Notices as published on gov.cn; chinese-days (maintained separately) is the reference. */
const notice = (year: number) =>
  readFileSync(join(import.meta.dirname, '../../local/samples/holiday-notices', `${year}.txt`), 'utf8');
const officialIn = (dates: Record<string, string>, from: string, to: string) =>
  Object.keys(dates)
    .filter((d) => d >= from && d <= to)
    .sort();

function eachDay(from: string, to: string): string[] {
  const days: string[] = [];
  for (
    let d = new Date(`${from}T00:00:00Z`);
    d.toISOString().slice(0, 10) <= to;
    d.setUTCDate(d.getUTCDate() + 1)
  )
    days.push(d.toISOString().slice(0, 10));
  return days;
}

describe('reading the State Council holiday notice', () => {
  it.each([2025, 2026])('reads the %i notice into exactly the dates chinese-days ships', (year) => {
    const arrangement = parseHolidayNotice(notice(year));
    expect(arrangement.year).toBe(year);
    expect(arrangement.holidays).toEqual(officialIn(official.holidays, `${year}-01-01`, `${year}-12-31`));
    expect(arrangement.makeUpWorkdays).toEqual(
      officialIn(official.workdays, `${year}-01-01`, `${year}-12-31`),
    );
  });

  it.each([2017, 2019, 2023, 2024])(
    'reads the older wording of %i (补休, 与周末连休, ranges across the year end, an aside with a date)',
    (year) => {
      const arrangement = parseHolidayNotice(notice(year));
      const off = new Set(arrangement.holidays);
      const working = new Set(arrangement.makeUpWorkdays);
      // chinese-days also lists the weekend days a holiday "joins"; the working days must agree.
      for (const day of eachDay(`${year - 1}-12-29`, `${year}-12-31`)) {
        const weekend = [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());
        const ours = working.has(day) || (!weekend && !off.has(day));
        const theirs = day in official.workdays || (!weekend && !(day in official.holidays));
        expect({ day, working: ours }).toEqual({ day, working: theirs });
      }
      if (year === 2019) expect(arrangement.holidays.slice(0, 2)).toEqual(['2018-12-30', '2018-12-31']);
    },
  );

  it('refuses a notice that contradicts itself rather than reading half of it', () => {
    const wrongCount = notice(2026).replace('共9天', '共8天');
    expect(() => parseHolidayNotice(wrongCount)).toThrow(/says 8 days, the dates give 9/);
    const weekdayAtWork = notice(2026).replace('1月4日（周日）上班', '1月5日（周一）上班');
    expect(() => parseHolidayNotice(weekdayAtWork)).toThrow(
      /2026-01-05 is a make-up working day but not a weekend/,
    );
    expect(() => parseHolidayNotice('关于2027年部分节假日安排的通知')).toThrow(HolidayNoticeError);
    expect(() => parseHolidayNotice(notice(2026).replace('2月15日', '2月30日'))).toThrow(
      /2026年2月30日 is not a date/,
    );
  });

  it('ships a notice only for a year chinese-days lacks, and only one that reads', () => {
    const later = `国务院办公厅关于2031年部分节假日安排的通知（测试用）
一、元旦：1月1日（周三）至3日（周五）放假调休，共3天。1月4日（周六）上班。`;
    expect(laterArrangements([later])).toEqual([
      { year: 2031, holidays: ['2031-01-01', '2031-01-02', '2031-01-03'], makeUpWorkdays: ['2031-01-04'] },
    ]);
    expect(() => laterArrangements([notice(2026)])).toThrow(/chinese-days already has 2026/);
    expect(() => laterArrangements([later.replace('共3天', '共2天')])).toThrow(HolidayNoticeError);
    // What is shipped is loaded: every shipped notice's year counts as published.
    for (const { year } of laterArrangements(laterNotices)) expect(arrangementPublished(year)).toBe(true);
  });
});

describe('reading any notice written the way the State Council writes them (property)', () => {
  const NUMERALS = ['一', '二', '三', '四', '五', '六', '七'];
  const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
  const shift = (iso: string, days: number) =>
    new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const weekday = (iso: string) => new Date(`${iso}T00:00:00Z`).getUTCDay();
  /** "2月15日（周日）", with the year when it is not the notice's. */
  const written = (iso: string, year: number, monthKnown?: string) => {
    const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
    const date =
      y !== year ? `${y}年${m}月${d}日` : monthKnown === iso.slice(0, 7) ? `${d}日` : `${m}月${d}日`;
    return `${date}（${WEEKDAYS[weekday(iso)]}）`;
  };

  // An item: a first day off, how many days, and which nearby weekend days are worked instead.
  const item = fc.record({
    dayOfYear: fc.integer({ min: 0, max: 350 }),
    length: fc.integer({ min: 1, max: 9 }),
    workedWeekendOffsets: fc.uniqueArray(fc.integer({ min: -10, max: 15 }), { maxLength: 2 }),
  });

  it('gives back exactly the days off and make-up days the notice was written from', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2027, max: 2040 }),
        fc.array(item, { minLength: 1, maxLength: 7 }),
        (year, raw) => {
          const holidays = new Set<string>();
          const makeUp = new Set<string>();
          const lines = raw.map((it, i) => {
            const start = shift(`${year}-01-01`, it.dayOfYear);
            const end = shift(start, it.length - 1);
            const days = Array.from({ length: it.length }, (_, k) => shift(start, k));
            const worked = it.workedWeekendOffsets
              .map((offset) => shift(offset < 0 ? start : end, offset))
              .filter((d) => [0, 6].includes(weekday(d)) && d.startsWith(String(year)))
              .filter((d) => !holidays.has(d) && !days.includes(d) && !makeUp.has(d))
              .sort();
            // Items never overlap in a real notice: skip one that would.
            if (days.some((d) => holidays.has(d) || makeUp.has(d))) return '';
            for (const d of days) holidays.add(d);
            for (const d of worked) makeUp.add(d);
            const off =
              it.length === 1
                ? `${written(start, year)}放假，共1天。`
                : `${written(start, year)}至${written(end, year, start.slice(0, 7))}放假调休，共${it.length}天。`;
            const work = worked.length > 0 ? `${worked.map((d) => written(d, year)).join('、')}上班。` : '';
            return `${NUMERALS[i]}、节日${i}：${off}${work}`;
          });
          const notice = `国务院办公厅关于${year}年部分节假日安排的通知\n经国务院批准，现将${year}年元旦、春节放假调休日期的具体安排通知如下。\n${lines.filter(Boolean).join('\n')}\n国务院办公厅`;
          const parsed = parseHolidayNotice(notice);
          expect(parsed).toEqual({
            year,
            holidays: [...holidays].sort(),
            makeUpWorkdays: [...makeUp].sort(),
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the calendar data the functions ship', () => {
  it('knows the law-only holidays of every year a date the API accepts can fall in', () => {
    for (const year of [1970, 2003, 2027, 2060, 2099])
      expect(statutoryHolidays(year).size).toBeGreaterThanOrEqual(13);
  });
});

describe('the days off the law alone gives (a year without a notice yet)', () => {
  it.each([2025, 2026])('are all off in the published %i arrangement, days in lieu included', (year) => {
    const published = new Set(officialIn(official.holidays, `${year}-01-01`, `${year}-12-31`));
    expect([...statutoryHolidays(year)].filter((day) => !published.has(day))).toEqual([]);
  });

  it('give 2027 a weekday in lieu for each statutory day on a weekend (article 6)', () => {
    const days = [...statutoryHolidays(2027)].sort();
    // Spring Festival: eve Fri 5 Feb to Mon 8 Feb; Sat 6 and Sun 7 give Tue 9 and Wed 10.
    expect(days.filter((d) => d.startsWith('2027-02'))).toEqual([
      '2027-02-05',
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
      '2027-02-09',
      '2027-02-10',
    ]);
    // 1–2 May are a Saturday and Sunday: Monday 3 and Tuesday 4 May off.
    expect(days.filter((d) => d.startsWith('2027-05'))).toEqual([
      '2027-05-01',
      '2027-05-02',
      '2027-05-03',
      '2027-05-04',
    ]);
    // 1–3 October are Friday to Sunday: Monday 4 and Tuesday 5 October off.
    expect(days.filter((d) => d.startsWith('2027-10'))).toEqual([
      '2027-10-01',
      '2027-10-02',
      '2027-10-03',
      '2027-10-04',
      '2027-10-05',
    ]);
  });
});

describe('years ahead without an arrangement (what the operators are alarmed about)', () => {
  it('are the years within the lookahead that no notice covers', () => {
    expect(arrangementsMissing(new Date('2026-03-01T00:00:00Z'))).toEqual([]);
    // The notice comes out in November: no alarm before December asks anyone to wait for it.
    expect(arrangementsMissing(new Date('2026-11-25T00:00:00Z'))).toEqual([]);
    expect(arrangementsMissing(new Date('2029-12-15T00:00:00Z'))).toEqual([2029, 2030]);
    expect(arrangementsMissing(new Date('2029-06-01T00:00:00Z'))).toEqual([2029]);
  });
});
