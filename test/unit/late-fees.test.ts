import { describe, expect, it } from 'vitest';
import { paymentReminderDue, paymentsStatement } from '#domain/late-fees.ts';

const installments = [
  { dueDate: '2026-03-10', amount: '100000.00', label: 'first half' },
  { dueDate: '2026-06-10', amount: '100000.00', label: 'second half' },
];

describe('late fees (10.1.2)', () => {
  it('per payment: amount due × rate, once, for a payment made after its due date', () => {
    const statement = paymentsStatement({
      installments,
      payments: [{ paidOn: '2026-03-13', amount: '100000.00', reference: 'B-1' }],
      currency: 'CNY',
      lateFeeRatePercent: 0.05,
      counting: 'per_payment',
      through: '2026-03-31',
    });
    // 100,000.00 × 0.05 % = 50.00; paid on the 13th: late the 11th, 12th and 13th.
    expect(statement.installments).toEqual([
      {
        dueDate: '2026-03-10',
        label: 'first half',
        amount: '100000.00',
        paid: '100000.00',
        outstanding: '0.00',
        paidInFullOn: '2026-03-13',
        daysLate: 3,
        lateFee: '50.00',
      },
    ]);
    expect(statement.totals).toEqual({
      due: '100000.00',
      paid: '100000.00',
      overdue: '0.00',
      lateFees: '50.00',
    });
  });

  it('per day: on what is still outstanding each day, a partial payment lowering it, rounded once', () => {
    const statement = paymentsStatement({
      installments,
      payments: [
        { paidOn: '2026-03-08', amount: '40000.00', reference: 'B-1' }, // on time, in part
        { paidOn: '2026-03-12', amount: '33333.33', reference: 'B-2' },
      ],
      currency: 'CNY',
      lateFeeRatePercent: 0.0125,
      counting: 'per_day',
      through: '2026-03-14',
    });
    // Late 11–14 March: 60,000.00 (11th), 60,000.00 (12th: paid that day, still late), then
    // 26,666.67 on the 13th and 14th: 173,333.34 × 0.0125 % = 21.66666750 → 21.67.
    expect(statement.installments[0]).toMatchObject({
      paid: '73333.33',
      outstanding: '26666.67',
      daysLate: 4,
      lateFee: '21.67',
    });
    expect(statement.totals).toMatchObject({ overdue: '26666.67', lateFees: '21.67' });
  });

  it('charges nothing on time, and takes payments in the order installments fall due', () => {
    const statement = paymentsStatement({
      installments,
      payments: [{ paidOn: '2026-03-01', amount: '150000.00', reference: 'B-1' }],
      currency: 'CNY',
      lateFeeRatePercent: 0.05,
      counting: 'per_day',
      through: '2026-06-30',
    });
    expect(statement.installments.map((i) => [i.paid, i.outstanding, i.daysLate, i.lateFee])).toEqual([
      ['100000.00', '0.00', 0, '0.00'],
      // 50,000.00 still due on 10 June: 20 days late by the 30th at 0.05 %: 20 × 25.00.
      ['50000.00', '50000.00', 20, '500.00'],
    ]);
  });
});

describe('payment reminders (10.1.2), on the tenant’s working days', () => {
  // Mon–Fri working; 1–5 October 2026 a holiday week, Sat 10 October a make-up working day.
  const isWorking = (date: string) => {
    if (date >= '2026-10-01' && date <= '2026-10-08') return false;
    if (date === '2026-10-10') return true;
    const day = new Date(`${date}T00:00:00Z`).getUTCDay();
    return day !== 0 && day !== 6;
  };

  it('reminds three working days before the due date, and the first working day after it', () => {
    // Due Wed 18 March: Fri 13, Mon 16, Tue 17 are the three working days before.
    expect(paymentReminderDue(isWorking, '2026-03-18', '2026-03-12')).toBeUndefined();
    expect(paymentReminderDue(isWorking, '2026-03-18', '2026-03-13')).toBe('upcoming');
    expect(paymentReminderDue(isWorking, '2026-03-18', '2026-03-18')).toBe('upcoming');
    expect(paymentReminderDue(isWorking, '2026-03-18', '2026-03-19')).toBe('overdue');
    // Due Fri 20 March: Saturday and Sunday pass first; overdue from Monday 23.
    expect(paymentReminderDue(isWorking, '2026-03-20', '2026-03-21')).toBeUndefined();
    expect(paymentReminderDue(isWorking, '2026-03-20', '2026-03-23')).toBe('overdue');
  });

  it('counts holidays and make-up days as the calendar does', () => {
    // Due Mon 12 October: the working days before are Sat 10 (make-up), Fri 9, and Wed 30 September.
    expect(paymentReminderDue(isWorking, '2026-10-12', '2026-09-29')).toBeUndefined();
    expect(paymentReminderDue(isWorking, '2026-10-12', '2026-09-30')).toBe('upcoming');
  });
});
