import { describe, expect, it } from 'vitest';
import { type BreachEvidence, type DamagesTerms, damagesStatement } from '#domain/damages.ts';
import { formatMoney, money, percentOf } from '#domain/money.ts';

describe('money in minor units', () => {
  it('reads and writes amounts exactly, with the currency’s digits', () => {
    expect(money(12345.67, 'CNY').minor).toBe(1234567n);
    expect(money('0.1', 'CNY').minor + money('0.2', 'CNY').minor).toBe(30n);
    expect(formatMoney(money('1500', 'JPY'))).toBe('1500');
    expect(formatMoney({ currency: 'CNY', minor: 5n })).toBe('0.05');
    expect(() => money('1.005', 'CNY')).toThrow(/more than 2 decimals/);
  });

  it('takes a percentage rounded half up to the fen, as worked by hand', () => {
    // 12,345.67 × 0.0125 % = 1.54320875
    expect(formatMoney(percentOf(money(12345.67, 'CNY'), 0.0125))).toBe('1.54');
    // 100.00 × 0.005 % = 0.005: half a fen rounds up; 0.0049 does not.
    expect(formatMoney(percentOf(money(100, 'CNY'), 0.005))).toBe('0.01');
    expect(formatMoney(percentOf(money(100, 'CNY'), 0.0049))).toBe('0.00');
    // 200,000.00 × 0.5 % = 1,000.00
    expect(formatMoney(percentOf(money(200000, 'CNY'), 0.5))).toBe('1000.00');
  });
});

const terms = (rate: number, extra: Partial<DamagesTerms> = {}): DamagesTerms => ({
  totalAmount: 200000,
  currency: 'CNY',
  liquidatedDamagesRatePercent: rate,
  damagesCounting: 'per_breach',
  ...extra,
});
const breach = (
  subjectId: string,
  deadline: string,
  contractVersion = 1,
  extra: Partial<BreachEvidence> = {},
) => ({
  subjectId,
  promise: 'response' as const,
  deadline,
  contractVersion,
  ...extra,
});
// March 2026 in Shanghai: [2026-02-28T16:00Z, 2026-03-31T16:00Z).
const march = { from: '2026-02-28T16:00:00.000Z', to: '2026-03-31T16:00:00.000Z', timeZone: 'Asia/Shanghai' };

describe('liquidated damages (10.1.1)', () => {
  it('per breach: contract total × rate for each, earlier breaches outside the period', () => {
    const statement = damagesStatement({
      ...march,
      breaches: [
        breach('sr_feb', '2026-02-20T02:00:00.000Z'),
        breach('sr_a', '2026-03-03T02:00:00.000Z', 1, { metAt: '2026-03-03T03:30:00.000Z' }),
        breach('sr_b', '2026-03-10T02:00:00.000Z'),
        { ...breach('fb_c', '2026-03-12T09:00:00.000Z'), promise: 'feedback' as const },
      ],
      versions: new Map([[1, terms(0.5)]]),
      fallbackVersion: 1,
    });
    expect(statement.lines.map((l) => [l.subjectId, l.damages, l.minutesLate])).toEqual([
      ['sr_a', '1000.00', 90],
      // Still open at the end of the period: late until then.
      ['sr_b', '1000.00', (Date.parse(march.to) - Date.parse('2026-03-10T02:00:00.000Z')) / 60_000],
      ['fb_c', '1000.00', (Date.parse(march.to) - Date.parse('2026-03-12T09:00:00.000Z')) / 60_000],
    ]);
    expect(statement).toMatchObject({ currency: 'CNY', damagesTotal: '3000.00', claimedBefore: '1000.00' });
  });

  it('prices each breach by the version in force when its request was received, through an amendment mid-period', () => {
    // Version 2 (0.8 %) is in force from 15 March; sr_c was received on 14 March under version 1.
    const statement = damagesStatement({
      ...march,
      breaches: [
        breach('sr_a', '2026-03-10T02:00:00.000Z', 1),
        breach('sr_c', '2026-03-16T02:00:00.000Z', 1),
        breach('sr_b', '2026-03-20T02:00:00.000Z', 2),
      ],
      versions: new Map([
        [1, terms(0.5)],
        [2, terms(0.8)],
      ]),
      fallbackVersion: 2,
    });
    expect(statement.lines.map((l) => [l.subjectId, l.contractVersion, l.ratePercent, l.damages])).toEqual([
      ['sr_a', 1, 0.5, '1000.00'],
      ['sr_c', 1, 0.5, '1000.00'],
      ['sr_b', 2, 0.8, '1600.00'],
    ]);
    expect(statement.damagesTotal).toBe('3600.00');
  });

  it('per month, under a cap over the whole contract', () => {
    const monthly = terms(0.8, { damagesCounting: 'per_month', damagesCapPercent: 1 });
    const statement = damagesStatement({
      from: '2026-02-28T16:00:00.000Z',
      to: '2026-04-30T16:00:00.000Z',
      timeZone: 'Asia/Shanghai',
      breaches: [
        breach('sr_a', '2026-03-03T02:00:00.000Z'),
        breach('sr_b', '2026-03-20T02:00:00.000Z'),
        // 1 April 01:00 in Shanghai is still 31 March in UTC: April's claim all the same.
        breach('sr_c', '2026-03-31T17:00:00.000Z'),
      ],
      versions: new Map([[1, monthly]]),
      fallbackVersion: 1,
    });
    expect(statement.lines.map((l) => [l.subjectId, l.damages, l.note])).toEqual([
      ['sr_a', '1600.00', undefined],
      ['sr_b', '0.00', 'counted_in_month'],
      // The cap is 1 % of 200,000.00 = 2,000.00: 400.00 left for April.
      ['sr_c', '400.00', 'capped'],
    ]);
    expect(statement.damagesTotal).toBe('2000.00');
  });

  it('never changes for a closed period: later events leave it as it was', () => {
    const versions = new Map([[1, terms(0.5)]]);
    const before = damagesStatement({
      ...march,
      breaches: [breach('sr_a', '2026-03-30T02:00:00.000Z')],
      versions,
      fallbackVersion: 1,
    });
    const after = damagesStatement({
      ...march,
      breaches: [
        // Kept in April, after the period: the March statement still shows it open until its end.
        breach('sr_a', '2026-03-30T02:00:00.000Z', 1, { metAt: '2026-04-02T08:00:00.000Z' }),
        breach('sr_later', '2026-04-03T02:00:00.000Z'),
      ],
      versions,
      fallbackVersion: 1,
    });
    expect(after).toEqual(before);
  });
});
