import { addDays, isoDateSchema } from './calendar-date.ts';
import { formatMoney, type Money, money, percentOf } from './money.ts';
import * as z from './zod.ts';

/**
 * Clause 10.1.2: a contract payment paid late costs the customer the amount due × the late-fee
 * rate: once per late payment (`per_payment`), or for every day it stays unpaid (`per_day`, on
 * what is still outstanding that day), as the contract says. Payments settle installments in
 * the order they fall due. Exact: amounts in minor units, one rounding (half up) per installment.
 */
export type LateFeeCounting = 'per_payment' | 'per_day';

const decimalAmount = z
  .string()
  .check(z.regex(/^\d{1,13}(\.\d{1,4})?$/, { message: 'a decimal amount, e.g. "12500.00"' }));

export const installmentSchema = z.strictObject({
  dueDate: isoDateSchema,
  amount: decimalAmount,
  label: z.optional(z.string().check(z.trim(), z.maxLength(120))),
});
export type Installment = z.infer<typeof installmentSchema>;

export const paymentSchema = z.strictObject({
  /** The day the money arrived. */
  paidOn: isoDateSchema,
  amount: decimalAmount,
  /** The bank's or the ledger's reference: recording the same one twice records it once. */
  reference: z.string().check(z.trim(), z.minLength(1), z.maxLength(120)),
});
export type Payment = z.infer<typeof paymentSchema>;

export interface InstallmentLine {
  dueDate: string;
  label?: string;
  amount: string;
  paid: string;
  outstanding: string;
  /** The day the last of it was paid, if it was by the end of the period. */
  paidInFullOn?: string;
  daysLate: number;
  lateFee: string;
}

export interface PaymentsStatement {
  installments: InstallmentLine[];
  totals: { due: string; paid: string; overdue: string; lateFees: string };
}

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/**
 * Every installment due by `through` (a date, inclusive), as it stands at the end of that day:
 * what was paid (payments on or before it), what is outstanding, how many days late, the fee.
 */
export function paymentsStatement(input: {
  installments: readonly Installment[];
  payments: readonly Payment[];
  currency: string;
  lateFeeRatePercent: number;
  counting: LateFeeCounting;
  through: string;
}): PaymentsStatement {
  const { currency, through } = input;
  const amount = (text: string): Money => money(text, currency);
  const installments = [...input.installments]
    .filter((i) => i.dueDate <= through)
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  const payments = [...input.payments]
    .filter((p) => p.paidOn <= through)
    .sort((a, b) => a.paidOn.localeCompare(b.paidOn) || a.reference.localeCompare(b.reference));
  // Each payment's money, in order, settles the earliest installment still open.
  const settlements = installments.map(() => [] as { on: string; minor: bigint }[]);
  const remaining = installments.map((i) => amount(i.amount).minor);
  for (const payment of payments) {
    let left = amount(payment.amount).minor;
    for (let i = 0; i < installments.length && left > 0n; i++) {
      // bigint: no Math.min.
      let taken = remaining[i]!;
      if (left < taken) taken = left;
      if (taken === 0n) continue;
      remaining[i]! -= taken;
      left -= taken;
      settlements[i]!.push({ on: payment.paidOn, minor: taken });
    }
  }
  const lines = installments.map((installment, i): InstallmentLine => {
    const due = amount(installment.amount).minor;
    const paid = due - remaining[i]!;
    const paidInFullOn = remaining[i] === 0n ? settlements[i]!.at(-1)?.on : undefined;
    // Late from the day after the due date, until the day it was paid in full (that day counts).
    const firstLateDay = addDays(installment.dueDate, 1);
    const lastDay = paidInFullOn ?? through;
    const daysLate = lastDay >= firstLateDay ? daysBetween(firstLateDay, lastDay) + 1 : 0;
    let fee = 0n;
    if (daysLate > 0 && input.counting === 'per_payment')
      fee = percentOf({ currency, minor: due }, input.lateFeeRatePercent).minor;
    if (daysLate > 0 && input.counting === 'per_day') {
      // Σ over late days of what was still outstanding that day (paid that day: still late).
      const payouts = settlements[i]!;
      let owed = due - payouts.filter((p) => p.on < firstLateDay).reduce((s, p) => s + p.minor, 0n);
      let day = firstLateDay;
      let sumOwed = 0n;
      for (let d = 0; d < daysLate; d++) {
        sumOwed += owed;
        owed -= payouts.filter((p) => p.on === day).reduce((s, p) => s + p.minor, 0n);
        day = addDays(day, 1);
      }
      // Σ outstanding × rate, rounded once.
      fee = percentOf({ currency, minor: sumOwed }, input.lateFeeRatePercent).minor;
    }
    return {
      dueDate: installment.dueDate,
      ...(installment.label ? { label: installment.label } : {}),
      amount: formatMoney({ currency, minor: due }),
      paid: formatMoney({ currency, minor: paid }),
      outstanding: formatMoney({ currency, minor: remaining[i]! }),
      ...(paidInFullOn ? { paidInFullOn } : {}),
      daysLate,
      lateFee: formatMoney({ currency, minor: fee }),
    };
  });
  const total = (pick: (l: InstallmentLine) => string) =>
    formatMoney({ currency, minor: lines.reduce((s, l) => s + amount(pick(l)).minor, 0n) });
  return {
    installments: lines,
    totals: {
      due: total((l) => l.amount),
      paid: total((l) => l.paid),
      overdue: total((l) => (l.daysLate > 0 ? l.outstanding : '0')),
      lateFees: total((l) => l.lateFee),
    },
  };
}

/** Working days before a due date that the customer is reminded of it (10.1.2). */
export const PAYMENT_REMINDER_WORKING_DAYS = 3;

/**
 * Which reminder of an installment is due on `today` (the tenant's local date): `upcoming` from
 * the working day that is PAYMENT_REMINDER_WORKING_DAYS working days before its due date (in the
 * tenant's calendar) until the due date, `overdue` from the first working day after it. A daily
 * run that missed a day still sends it (each is sent once, by its idempotency key).
 */
export function paymentReminderDue(
  isWorking: (isoDate: string) => boolean,
  dueDate: string,
  today: string,
): 'upcoming' | 'overdue' | undefined {
  if (today > dueDate) {
    let firstAfter = addDays(dueDate, 1);
    for (let i = 0; i < 60 && !isWorking(firstAfter); i++) firstAfter = addDays(firstAfter, 1);
    return today >= firstAfter ? 'overdue' : undefined;
  }
  let remindOn = dueDate;
  for (let found = 0, i = 0; found < PAYMENT_REMINDER_WORKING_DAYS && i < 60; i++) {
    remindOn = addDays(remindOn, -1);
    if (isWorking(remindOn)) found += 1;
  }
  return today >= remindOn ? 'upcoming' : undefined;
}
