import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrangementPublished } from '#domain/china-holidays.ts';
import { feedbackDue } from '#domain/feedback-case.ts';
import {
  addWorkingDays,
  instantOfLocalTime,
  isWorkingDay,
  localDate,
  localDateTime,
  startOfLocalDay,
  type WorkingCalendar,
  workingTimeBetween,
} from '#domain/working-calendar.ts';

const shanghai: WorkingCalendar = {
  timeZone: 'Asia/Shanghai',
  weekendDays: [0, 6],
  chinaPublicHolidays: true,
  closures: [],
  extraWorkingDays: [],
};
const cst = (local: string) => new Date(`${local}+08:00`);

describe('working days in mainland China', () => {
  it('knows holidays and make-up working days (调休), 2025 and 2026', () => {
    expect(isWorkingDay(shanghai, '2025-01-26')).toBe(true); // a working Sunday before Spring Festival
    expect(isWorkingDay(shanghai, '2025-01-28')).toBe(false); // Spring Festival eve
    expect(isWorkingDay(shanghai, '2025-10-08')).toBe(false);
    expect(isWorkingDay(shanghai, '2025-10-11')).toBe(true); // a working Saturday
    expect(isWorkingDay(shanghai, '2026-02-14')).toBe(true);
    expect(isWorkingDay(shanghai, '2026-10-05')).toBe(false);
  });

  it('works 2027 from the law until its arrangement is published, and says it is estimating', () => {
    expect(arrangementPublished(2026)).toBe(true);
    expect(arrangementPublished(2027)).toBe(false);
    expect(isWorkingDay(shanghai, '2027-02-05')).toBe(false); // Spring Festival eve
    expect(isWorkingDay(shanghai, '2027-02-10')).toBe(false); // in lieu of Sunday 7 February
    expect(isWorkingDay(shanghai, '2027-02-11')).toBe(true);
    expect(isWorkingDay(shanghai, '2027-10-05')).toBe(false); // in lieu of Sunday 3 October
    expect(isWorkingDay(shanghai, '2027-10-06')).toBe(true);
  });

  it('applies the tenant’s own closures and extra working days over the official calendar', () => {
    const tenant = { ...shanghai, closures: ['2026-03-03'], extraWorkingDays: ['2026-10-03'] };
    expect(isWorkingDay(tenant, '2026-03-03')).toBe(false);
    expect(isWorkingDay(tenant, '2026-10-03')).toBe(true);
  });
});

describe('"within 5 working days of receipt"', () => {
  it('received on a Friday evening: due at the end of the next Friday', () => {
    expect(addWorkingDays(shanghai, cst('2026-03-06T21:30:00'), 5)).toEqual(cst('2026-03-14T00:00:00'));
  });

  it('received on the eve of National Day: the count starts after the holiday', () => {
    // 2025: 1–8 October off; 28 September (Sun) and 11 October (Sat) are working days.
    expect(addWorkingDays(shanghai, cst('2025-09-30T10:00:00'), 5)).toEqual(cst('2025-10-15T00:00:00'));
  });

  it('received on a make-up Sunday: that day is not counted, the Monday is the first', () => {
    expect(addWorkingDays(shanghai, cst('2025-09-28T09:00:00'), 1)).toEqual(cst('2025-09-30T00:00:00'));
  });

  it('counts a make-up Saturday inside the window', () => {
    // Received Fri 26 Sep 2025: Sun 28 (make-up), Mon 29, Tue 30, Thu 9 Oct, Fri 10 Oct.
    expect(addWorkingDays(shanghai, cst('2025-09-26T15:00:00'), 5)).toEqual(cst('2025-10-11T00:00:00'));
  });

  it('crosses a year end', () => {
    // 2025-12-31 (Wed): 1–3 Jan 2026 off, 4 Jan (Sun) is a working day.
    expect(addWorkingDays(shanghai, cst('2025-12-31T18:00:00'), 2)).toEqual(cst('2026-01-06T00:00:00'));
  });

  it('ends a day at local midnight across a DST change (America/New_York)', () => {
    const newYork: WorkingCalendar = {
      ...shanghai,
      timeZone: 'America/New_York',
      chinaPublicHolidays: false,
    };
    // Fri 6 Mar 2026; DST starts Sun 8 Mar; the 1st working day is Mon 9 Mar, ending 10 Mar 00:00 EDT.
    expect(addWorkingDays(newYork, new Date('2026-03-06T20:00:00-05:00'), 1)).toEqual(
      new Date('2026-03-10T00:00:00-04:00'),
    );
    expect(startOfLocalDay('America/New_York', '2026-03-08')).toEqual(new Date('2026-03-08T00:00:00-05:00'));
  });

  it('begins each local day at its first instant, also where DST skips or repeats midnight (property)', () => {
    // Santiago, Havana, Asunción and Beirut change their clocks at midnight; Lord Howe by 30 minutes.
    const dstZones = [
      'America/Santiago',
      'America/Havana',
      'America/Asuncion',
      'Asia/Beirut',
      'Australia/Lord_Howe',
      'America/New_York',
      'Asia/Shanghai',
    ];
    const day = fc.date({
      min: new Date('2015-01-01T00:00:00Z'),
      max: new Date('2030-12-31T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(fc.constantFrom(...dstZones), day, (timeZone, d) => {
        const isoDate = d.toISOString().slice(0, 10);
        const begins = startOfLocalDay(timeZone, isoDate);
        expect(localDate(timeZone, begins)).toBe(isoDate);
        expect(localDate(timeZone, new Date(begins.getTime() - 1000)) < isoDate).toBe(true);
      }),
      { numRuns: 2000 },
    );
    // Santiago skipped midnight on 12 August 2018: the day began at 01:00 local time.
    expect(startOfLocalDay('America/Santiago', '2018-08-12')).toEqual(new Date('2018-08-12T04:00:00Z'));
  });

  const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'Pacific/Auckland'];
  const instant = fc.date({
    min: new Date('2024-12-01T00:00:00Z'),
    max: new Date('2027-11-30T00:00:00Z'),
    noInvalidDate: true,
  });

  it('agrees with a brute-force walk over calendar days (property)', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 1, max: 15 }),
        fc.constantFrom(...zones),
        fc.boolean(),
        (start, n, timeZone, china) => {
          const calendar = { ...shanghai, timeZone, chinaPublicHolidays: china };
          const due = addWorkingDays(calendar, start, n);
          // The deadline is a local midnight, the day before it is a working day, …
          expect(startOfLocalDay(timeZone, localDate(timeZone, due))).toEqual(due);
          const lastDay = localDate(timeZone, new Date(due.getTime() - 1));
          expect(isWorkingDay(calendar, lastDay)).toBe(true);
          // … and walking the days strictly after receipt up to it finds exactly n working days.
          let walked = 0;
          for (let d = localDate(timeZone, start); ; ) {
            d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
            if (d > lastDay) break;
            if (isWorkingDay(calendar, d)) walked += 1;
          }
          expect(walked).toBe(n);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('measures n working days of working time from the next day to the deadline (property)', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 1, max: 10 }),
        fc.constantFrom(...zones),
        (start, n, timeZone) => {
          const calendar = { ...shanghai, timeZone };
          const due = addWorkingDays(calendar, start, n);
          const nextDay = startOfLocalDay(
            timeZone,
            localDate(
              timeZone,
              new Date(startOfLocalDay(timeZone, localDate(timeZone, start)).getTime() + 36 * 3_600_000),
            ),
          );
          const worked = workingTimeBetween(calendar, nextDay, due);
          // A DST day is 23 or 25 hours long: allow those hours, no more.
          expect(Math.abs(worked - n * 86_400_000)).toBeLessThanOrEqual(3_600_000 * Math.ceil(n / 5));
          expect(workingTimeBetween(calendar, start, due)).toBeGreaterThanOrEqual(worked);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('a feedback due date that rests on an unpublished arrangement', () => {
  it('is confirmed when every day counted has a published arrangement, even if it ends at midnight into the next year', () => {
    // Fri 25, Mon 28 … Thu 31 December 2026: due at 00:00 on 1 January 2027, nothing of 2027 counted.
    expect(feedbackDue(shanghai, cst('2026-12-24T10:00:00'), 5)).toEqual({
      dueAt: cst('2027-01-01T00:00:00'),
      dueConfirmed: true,
    });
  });

  it('is an estimate once a day of 2027 is counted, and never for a tenant off China’s calendar', () => {
    expect(feedbackDue(shanghai, cst('2026-12-28T10:00:00'), 5)).toEqual({
      dueAt: cst('2027-01-06T00:00:00'),
      dueConfirmed: false,
    });
    const ownCalendar = { ...shanghai, chinaPublicHolidays: false };
    expect(feedbackDue(ownCalendar, cst('2026-12-28T10:00:00'), 5).dueConfirmed).toBe(true);
  });
});

describe('a wall-clock time typed in the tenant’s zone (#37)', () => {
  it('is the instant it names there, whatever zone runs the code', () => {
    expect(instantOfLocalTime('Asia/Shanghai', '2026-03-02T09:30').toISOString()).toBe(
      '2026-03-02T01:30:00.000Z',
    );
    expect(instantOfLocalTime('Europe/London', '2026-07-01T09:30').toISOString()).toBe(
      '2026-07-01T08:30:00.000Z',
    );
    expect(instantOfLocalTime('America/New_York', '2026-01-15T23:45').toISOString()).toBe(
      '2026-01-16T04:45:00.000Z',
    );
    expect(instantOfLocalTime('UTC', '2026-03-02T00:00').toISOString()).toBe('2026-03-02T00:00:00.000Z');
  });

  it('reads a time a DST change skips with the offset before it, and a repeated one as its first occurrence', () => {
    // London, 29 March 2026: 01:00 GMT becomes 02:00 BST; 01:30 does not exist.
    expect(instantOfLocalTime('Europe/London', '2026-03-29T01:30').toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    // London, 25 October 2026: 02:00 BST becomes 01:00 GMT; 01:30 happens twice.
    expect(instantOfLocalTime('Europe/London', '2026-10-25T01:30').toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });

  it('round-trips with localDateTime', () => {
    for (const zone of ['Asia/Shanghai', 'Europe/London', 'America/Los_Angeles', 'Asia/Kolkata']) {
      const at = new Date('2026-05-17T06:15:00.000Z');
      expect(instantOfLocalTime(zone, localDateTime(zone, at)).toISOString()).toBe(at.toISOString());
    }
  });
});
