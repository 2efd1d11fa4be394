import { describe, expect, it } from 'vitest';
import type { ContractVersion } from '#domain/contract.ts';
import {
  anonymizeAt,
  contractKeptUntil,
  customerNeededUntil,
  ERASED,
  earliestNeededUntil,
  type Identifiers,
  identifiersOf,
  neededUntil,
  scrub,
} from '#domain/personal-data.ts';

const request = {
  type: 'request' as const,
  status: 'closed',
  receivedAt: '2026-03-02T01:00:00.000Z',
  endedAt: '2026-03-20T08:00:00.000Z',
  deliveryDate: '2026-01-10',
  warrantyMonths: 12,
};

describe('how long a customer’s details are needed (12.2)', () => {
  it('a request: while open, then until the warranty of its goods ends (from delivery, else from receipt)', () => {
    expect(neededUntil({ ...request, endedAt: undefined })).toBe('open');
    expect(neededUntil(request)).toBe('2027-01-10T00:00:00.000Z');
    expect(neededUntil({ ...request, deliveryDate: undefined })).toBe('2027-03-02T00:00:00.000Z');
    // No warranty (a consultation under a contract without one): until it ended.
    expect(neededUntil({ ...request, warrantyMonths: 0, deliveryDate: undefined })).toBe(request.endedAt);
  });

  it('a feedback case until it is closed; a periodic survey until its invitation expires', () => {
    const feedback = { type: 'feedback' as const, status: 'resolved', receivedAt: request.receivedAt };
    expect(neededUntil(feedback)).toBe('open');
    expect(neededUntil({ ...feedback, status: 'closed', closedAt: '2026-03-06T02:00:00.000Z' })).toBe(
      '2026-03-06T02:00:00.000Z',
    );
    expect(
      neededUntil({ type: 'survey', invitedAt: request.receivedAt, expiresAt: '2026-03-16T01:00:00.000Z' }),
    ).toBe('2026-03-16T01:00:00.000Z');
  });

  it('a customer: the last of their subjects, and open while any is', () => {
    const late = { ...request, deliveryDate: '2026-06-01' };
    expect(customerNeededUntil([request, late])).toBe('2027-06-01T00:00:00.000Z');
    expect(customerNeededUntil([request, { ...late, endedAt: undefined }])).toBe('open');
    expect(customerNeededUntil([])).toBeUndefined();
  });

  it('what intake knows: as if the subject ended at once', () => {
    expect(earliestNeededUntil({ ...request, endedAt: undefined })).toBe('2027-01-10T00:00:00.000Z');
    expect(earliestNeededUntil({ type: 'feedback', status: 'open', receivedAt: request.receivedAt })).toBe(
      request.receivedAt,
    );
  });

  it('anonymizes the retention period after the need ends', () => {
    expect(anonymizeAt('2027-01-10T00:00:00.000Z', 180).toISOString()).toBe('2027-07-09T00:00:00.000Z');
  });
});

const version = (overrides: Partial<ContractVersion> = {}, terms: Record<string, unknown> = {}) =>
  ({
    contractId: 'gwh',
    version: 1,
    terms: { effectiveDate: '2026-01-01', termYears: 1, confidentialityYears: 3, ...terms },
    ...overrides,
  }) as ContractVersion;

describe('how long a contract’s data is kept (12.1)', () => {
  it('for its confidentiality term after its term ran out', () => {
    expect(contractKeptUntil([version()], new Date('2026-12-31T00:00:00Z'))).toBeUndefined();
    expect(contractKeptUntil([version()], new Date('2027-01-02T00:00:00Z'))?.toISOString()).toBe(
      '2030-01-01T00:00:00.000Z',
    );
  });

  it('from its termination, when it was terminated early; the latest version’s terms decide', () => {
    const versions = [
      version(),
      version({ version: 2, terminatedAt: '2026-05-15T06:30:00.000Z' }, { confidentialityYears: 5 }),
    ];
    expect(contractKeptUntil(versions, new Date('2026-06-01T00:00:00Z'))?.toISOString()).toBe(
      '2031-05-15T06:30:00.000Z',
    );
  });
});

/** Whether any string of a value still holds one of the identifiers: scrubbing would change it. */
const mentions = (value: unknown, identifiers: Identifiers) =>
  JSON.stringify(scrub(value, identifiers)) !== JSON.stringify(value);

describe('scrubbing a customer out of what staff wrote', () => {
  const identifiers = identifiersOf(
    [{ name: 'Li Na', email: 'Li.Na@customer.example', phone: '+86 138 0013 8000' }],
    { names: ['李娜'], phones: ['12'] },
  );

  it('replaces their email, phone and name wherever they appear, whatever the case', () => {
    const item = {
      note: 'Called li na at +86 138 0013 8000; mail LI.NA@customer.example',
      zh: '已联系李娜女士',
      nested: [{ actor: 'li.na@customer.example' }],
    };
    expect(scrub(item, identifiers)).toEqual({
      note: `Called ${ERASED} at ${ERASED}; mail ${ERASED}`,
      zh: `已联系${ERASED}女士`,
      nested: [{ actor: ERASED }],
    });
    expect(mentions(item, identifiers)).toBe(true);
    expect(mentions(scrub(item, identifiers), identifiers)).toBe(false);
  });

  it('takes a Latin name as a whole word only, short phone-like strings never, and leaves kept attributes', () => {
    const short = identifiersOf([{ name: 'Sy', email: 'sy@x.example' }]);
    expect(scrub({ actor: 'system', note: 'Sy called' }, short)).toEqual({
      actor: 'system',
      note: `${ERASED} called`,
    });
    expect(scrub({ count: '12 items' }, identifiers)).toEqual({ count: '12 items' });
    expect(scrub({ pk: 'TENANT#li-na#REQUEST#sr_1', note: 'Li Na' }, identifiers, new Set(['pk']))).toEqual({
      pk: 'TENANT#li-na#REQUEST#sr_1',
      note: ERASED,
    });
  });
});
