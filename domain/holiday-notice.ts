import { addDays, weekdayOf } from './calendar-date.ts';

/**
 * Reads the State Council's yearly notice (国务院办公厅关于<year>年部分节假日安排的通知) as
 * published, so that a year's arrangement is shipped as the notice's own text rather than as
 * dates someone typed. Each item of the notice reads like
 *
 *   二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
 *
 * Days off are "A至B放假", "A放假" or "A补休"; make-up working days are the dates of a sentence
 * that ends in "上班". A range's stated length ("共9天") is checked, and a make-up working day
 * must fall on a weekend: a notice that reads otherwise is refused rather than half-read.
 */
export interface HolidayArrangement {
  year: number;
  /** Every day off, ISO dates. */
  holidays: string[];
  /** Weekend days that are working days (调休上班), ISO dates. */
  makeUpWorkdays: string[];
}

export class HolidayNoticeError extends Error {}

const DATE = /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日/g;
const RANGE_OFF =
  /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日至(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日放假[^，。]*?(?:，共(\d+)天)?(?=[，。]|$)/g;
const SINGLE_OFF = /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:放假|补休)/g;

const iso = (year: number, month: number, day: number) => {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    throw new HolidayNoticeError(`${year}年${month}月${day}日 is not a date`);
  return date.toISOString().slice(0, 10);
};

/** The notice's year, from its title or its opening sentence. */
function noticeYear(text: string): number {
  const match = /(\d{4})年(?:部分节假日|元旦)/.exec(text);
  if (!match) throw new HolidayNoticeError('no year: expected "…关于<year>年部分节假日安排的通知"');
  return Number(match[1]);
}

/** One item of the notice, e.g. "二、春节：…", without its parenthesised remarks. */
function items(text: string): string[] {
  const plain = text
    .replace(/\r/g, '')
    .replace(/[（(][^）)]*[）)]/g, '')
    .replace(/:/g, '：')
    .replace(/,/g, '，')
    .replace(/\s+/g, '');
  const found = plain
    .split(/(?=[一二三四五六七八九十]+、)/)
    .filter((item) => /^[一二三四五六七八九十]+、/.test(item));
  if (found.length === 0) throw new HolidayNoticeError('no items: expected "一、元旦：…" and so on');
  return found;
}

export function parseHolidayNotice(text: string): HolidayArrangement {
  const year = noticeYear(text);
  const holidays = new Set<string>();
  const makeUpWorkdays = new Set<string>();
  // An item's dates belong to the notice's year, except New Year's Day items that start in December.
  const yearOf = (explicit: string | undefined, month: number, item: string) =>
    explicit ? Number(explicit) : month === 12 && item.includes('元旦') ? year - 1 : year;

  for (const item of items(text)) {
    let rest = item;
    for (const m of item.matchAll(RANGE_OFF)) {
      const [, y1, m1, d1, y2, m2, d2, stated] = m;
      const startMonth = Number(m1);
      const start = iso(yearOf(y1, startMonth, item), startMonth, Number(d1));
      const endMonth = m2 ? Number(m2) : startMonth;
      const end = iso(y2 ? Number(y2) : yearOf(undefined, endMonth, item), endMonth, Number(d2));
      if (end < start) throw new HolidayNoticeError(`${m[0]}: ends before it starts`);
      let days = 0;
      for (let day = start; day <= end; day = addDays(day, 1), days++) holidays.add(day);
      if (stated && Number(stated) !== days)
        throw new HolidayNoticeError(`${m[0]}: says ${stated} days, the dates give ${days}`);
      rest = rest.replace(m[0], '');
    }
    for (const m of rest.matchAll(SINGLE_OFF)) {
      const month = Number(m[2]);
      holidays.add(iso(yearOf(m[1], month, item), month, Number(m[3])));
    }
    for (const sentence of rest.split(/[。；]/).filter((s) => s.endsWith('上班'))) {
      for (const m of sentence.matchAll(DATE)) {
        const month = Number(m[2]);
        const day = iso(yearOf(m[1], month, item), month, Number(m[3]));
        if (![0, 6].includes(weekdayOf(day)))
          throw new HolidayNoticeError(`${day} is a make-up working day but not a weekend day`);
        makeUpWorkdays.add(day);
      }
    }
  }
  for (const day of makeUpWorkdays)
    if (holidays.has(day)) throw new HolidayNoticeError(`${day} is both a day off and a working day`);
  if (holidays.size === 0) throw new HolidayNoticeError('no days off found');
  return { year, holidays: [...holidays].sort(), makeUpWorkdays: [...makeUpWorkdays].sort() };
}
