import { describe, expect, it } from 'vitest';
import { minutesLate } from '#domain/breach.ts';
import { applyTerms, type ContractVersion, defaultSlaTerms, versionInForce } from '#domain/contract.ts';
import { completionDeadline, responseDeadline } from '#domain/deadlines.ts';
import { isQualified } from '#domain/skills.ts';
import { addMonths, warrantyStatus } from '#domain/warranty.ts';

const terms = {
  contractNumber: 'C-2026-001',
  provider: { companyName: 'Provider', address: 'Shanghai', contact: 'p@x.example' },
  customer: { companyName: 'Customer', address: 'Beijing', contact: 'c@x.example' },
  effectiveDate: '2026-01-01',
  termYears: 1,
  totalAmount: 100_000,
  currency: 'CNY',
  sla: defaultSlaTerms,
  liquidatedDamagesRatePercent: 5,
  damagesCounting: 'per_breach' as const,
  lateFeeCounting: 'per_payment' as const,
  lateFeeRatePercent: 0.05,
  confidentialityYears: 3,
  language: 'zh-CN' as const,
};

const v1: ContractVersion = {
  contractId: 'c1',
  version: 1,
  terms,
  providerConfirmedAt: '2025-12-20T00:00:00.000Z',
  customerConfirmedAt: '2025-12-21T00:00:00.000Z',
};
const v2: ContractVersion = {
  contractId: 'c1',
  version: 2,
  terms: { ...terms, sla: { ...defaultSlaTerms, responseHours: 4 } },
  providerConfirmedAt: '2026-02-01T00:00:00.000Z',
};

describe('contract versions (11.1, 9.2)', () => {
  it('judges a request by the version both parties had confirmed when it was received', () => {
    expect(versionInForce([v1, v2], new Date('2026-03-01T00:00:00Z'))?.version).toBe(1);
    const confirmed = { ...v2, customerConfirmedAt: '2026-02-10T08:00:00.000Z' };
    expect(versionInForce([v1, confirmed], new Date('2026-02-10T07:59:59Z'))?.version).toBe(1);
    expect(versionInForce([v1, confirmed], new Date('2026-02-10T08:00:00Z'))?.version).toBe(2);
  });

  it('is not in force before its effective date, nor after termination', () => {
    expect(versionInForce([v1], new Date('2025-12-31T23:59:59Z'))).toBeUndefined();
    expect(
      versionInForce([{ ...v1, terminatedAt: '2026-06-01T00:00:00.000Z' }], new Date('2026-06-02T00:00:00Z')),
    ).toBeUndefined();
  });

  it('applies the completion time agreed for the request kind', () => {
    const applied = applyTerms('consultation', defaultSlaTerms, v1);
    expect(applied).toMatchObject({
      contractId: 'c1',
      contractVersion: 1,
      responseHours: 2,
      completionHours: 24,
    });
  });
});

describe('deadlines (6.1.2, 6.2.1b)', () => {
  it('puts the response deadline 2 hours and the completion deadline the kind’s hours after receipt', () => {
    const receivedAt = new Date('2026-03-02T23:30:00Z');
    expect(responseDeadline(receivedAt, { responseHours: 2 }).toISOString()).toBe('2026-03-03T01:30:00.000Z');
    expect(completionDeadline(receivedAt, { completionHours: 72 }).toISOString()).toBe(
      '2026-03-05T23:30:00.000Z',
    );
  });
});

describe('warranty (8.1.2)', () => {
  it('covers repair and replacement for 12 months from delivery, clamping month ends', () => {
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(warrantyStatus('repair', '2025-03-02', '2026-03-01', 12)).toEqual({
      applies: true,
      coveredUntil: '2026-03-02',
      inWarranty: true,
    });
    expect(warrantyStatus('repair', '2025-03-02', '2026-03-02', 12).inWarranty).toBe(false);
    expect(warrantyStatus('consultation', undefined, '2026-03-02', 12)).toEqual({ applies: false });
  });
});

describe('breaches and skills', () => {
  it('counts minutes late, rounded up, until met, or until now while open', () => {
    const breach = { deadline: '2026-03-02T03:00:00.000Z' };
    expect(minutesLate(breach, new Date('2026-03-02T03:00:00Z'))).toBe(0);
    expect(minutesLate(breach, new Date('2026-03-02T03:00:01Z'))).toBe(1);
    expect(minutesLate(breach, new Date('2026-03-02T03:59:59Z'))).toBe(60);
    expect(
      minutesLate({ ...breach, metAt: '2026-03-02T05:15:00.000Z' }, new Date('2026-03-09T00:00:00Z')),
    ).toBe(135);
  });

  it('needs the skill of the kind, with tenant overrides', () => {
    expect(isQualified(['repair'], 'repair')).toBe(true);
    expect(isQualified(['returns'], 'repair')).toBe(false);
    expect(isQualified(['electrician'], 'repair', { repair: 'electrician' })).toBe(true);
  });
});
