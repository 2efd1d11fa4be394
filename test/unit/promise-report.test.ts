import { describe, expect, it } from 'vitest';
import { recipientAddresses, unknownLadderStaff } from '#domain/escalation-ladder.ts';
import { promiseCsv, promiseReport, type RequestFact } from '#domain/promise-report.ts';

const terms = { responseHours: 2, completionHours: 72 };
const request = (receivedAt: string, more: Partial<RequestFact> = {}): RequestFact => ({
  receivedAt,
  status: 'received',
  terms,
  ...more,
});

describe('promise report: how the response and completion promises were kept, month by month', () => {
  const now = new Date('2026-03-20T00:00:00Z');
  const rows = promiseReport(
    [
      // Answered at exactly 2 hours: on time (a promise is broken only from the instant after).
      request('2026-03-02T01:00:00Z', {
        status: 'completed',
        acknowledgedAt: '2026-03-02T03:00:00Z',
        completedAt: '2026-03-04T01:00:00Z',
      }),
      // Answered a minute late, completed late.
      request('2026-03-02T01:00:00Z', {
        status: 'closed',
        acknowledgedAt: '2026-03-02T03:01:00Z',
        completedAt: '2026-03-06T01:00:00Z',
      }),
      // Never answered, long past both deadlines: overdue, not yet "late".
      request('2026-03-05T01:00:00Z'),
      // Cancelled before anyone answered: no promise was kept or broken.
      request('2026-03-06T01:00:00Z', { status: 'cancelled' }),
      // Received two hours ago, in the tenant's next month (Shanghai: 1 April 07:00): not due yet.
      request('2026-03-31T23:00:00Z'),
    ],
    [
      { promise: 'response', deadline: '2026-03-02T03:00:00Z' },
      { promise: 'feedback', deadline: '2026-03-10T09:00:00Z' },
      // The month of a breach is its deadline's, in the tenant's time zone.
      { promise: 'completion', deadline: '2026-02-28T17:00:00Z' },
    ],
    'Asia/Shanghai',
    now,
  );

  it('counts each request in the month it was received, in the tenant’s time zone', () => {
    expect(rows.map((r) => [r.period, r.requestsReceived])).toEqual([
      ['2026-03', 4],
      ['2026-04', 1],
    ]);
  });

  it('tells on time, late and overdue apart, and the on-time rate of what was due', () => {
    expect(rows[0]).toMatchObject({
      responseOnTime: 1,
      responseLate: 1,
      responseOverdue: 1,
      responseOnTimePercent: 33.3,
      completionOnTime: 1,
      completionLate: 1,
      completionOverdue: 1,
      completionOnTimePercent: 33.3,
    });
    // Nothing was due yet in April: no rate rather than 0% or 100%.
    expect(rows[1]).toMatchObject({ responseOnTimePercent: null, completionOnTimePercent: null });
  });

  it('counts the recorded breaches by promise in the month of their deadline', () => {
    expect(rows[0]).toMatchObject({ responseBreaches: 1, completionBreaches: 1, feedbackBreaches: 1 });
  });

  it('downloads as CSV, a column per figure, rates empty where nothing was due', () => {
    const lines = promiseCsv(rows).trim().split(/\r?\n/);
    expect(lines[0]).toBe(
      'period,requestsReceived,responseOnTime,responseLate,responseOverdue,responseOnTimePercent,completionOnTime,completionLate,completionOverdue,completionOnTimePercent,responseBreaches,completionBreaches,feedbackBreaches',
    );
    expect(lines[1]).toBe('2026-03,4,1,1,1,33.3,1,1,1,33.3,1,1,1');
    expect(lines[2]).toBe('2026-04,1,0,0,0,,0,0,0,,0,0,0');
    expect(promiseCsv([]).trim().split(/\r?\n/)).toHaveLength(1);
  });
});

describe('escalation ladder recipients: staff by id, or any address', () => {
  const staff = [
    { staffId: 'lead-chen', email: 'team-lead@demo.example' },
    { staffId: 'gone', email: 'gone@demo.example', disabledAt: '2026-01-01T00:00:00Z' },
  ];

  it('sends to a staff member’s address as the staff list has it, skipping the disabled', () => {
    expect(recipientAddresses(['lead-chen', 'boss@acme.example', 'gone'], staff)).toEqual([
      'team-lead@demo.example',
      'boss@acme.example',
    ]);
  });

  it('names each recipient that is neither an address nor on the staff list', () => {
    expect(
      unknownLadderStaff(
        { levels: [{ recipients: ['lead-chen'] }, { recipients: ['a@b.example', 'nobody'] }] },
        staff,
      ),
    ).toEqual({ 'escalationLadder.levels.1.recipients.1': ['no staff member has the id nobody'] });
  });
});
