import type { Breach } from './breach.ts';
import { formatMoney, type Money, minMoney, money, percentOf, sum } from './money.ts';
import { localDate } from './working-calendar.ts';

/**
 * Clause 10.1.1: when the provider fails a promise, the customer may claim contract total ×
 * the liquidated-damages rate. How breaches count is the contract's own term:
 * - `per_breach`: every breached promise (a late response, a late completion, late feedback)
 *   is a claim of its own;
 * - `per_month`: at most one claim per calendar month (in the tenant's time zone) with a breach.
 * A cap, if the contract has one, bounds everything claimed since the contract began. The version
 * in force when the request (or feedback) was received decides the rate (11.1), so an amendment
 * never re-prices an earlier breach.
 */
export type DamagesCounting = 'per_breach' | 'per_month';

export interface DamagesTerms {
  totalAmount: number;
  currency: string;
  liquidatedDamagesRatePercent: number;
  damagesCounting: DamagesCounting;
  /** At most this % of the contract total, over the whole contract. */
  damagesCapPercent?: number;
}

/** A breach as a statement shows it: what was promised, when, and by which version's terms. */
export interface BreachEvidence extends Pick<Breach, 'promise' | 'deadline' | 'metAt'> {
  /** The service request, or the feedback case of a `feedback` breach. */
  subjectId: string;
  /** The contract version in force when the subject was received. */
  contractVersion: number;
}

export interface StatementLine {
  subjectId: string;
  promise: Breach['promise'];
  deadline: string;
  /** When the promise was kept, if before the end of the period (else absent: the statement does not move). */
  metAt?: string;
  /** Minutes late: until it was kept, or until the end of the period. */
  minutesLate: number;
  contractVersion: number;
  ratePercent: number;
  damages: string;
  /** Why a breach is claimed at less than contract total × rate (per month, or the cap). */
  note?: 'counted_in_month' | 'capped';
}

export interface DamagesStatement {
  currency: string;
  counting: DamagesCounting;
  lines: StatementLine[];
  damagesTotal: string;
  /** Claimed before `from` (under the cap, it bounds what this period can claim). */
  claimedBefore: string;
}

const byDeadline = (a: BreachEvidence, b: BreachEvidence) =>
  a.deadline.localeCompare(b.deadline) ||
  a.subjectId.localeCompare(b.subjectId) ||
  a.promise.localeCompare(b.promise);

/**
 * The damages claimable for breaches with a deadline in [from, to), given every breach of the
 * contract before `to` (earlier ones count toward a monthly claim and the cap). Pure: the same
 * breaches and terms give the same statement whenever it is asked for.
 */
export function damagesStatement(input: {
  breaches: readonly BreachEvidence[];
  versions: ReadonlyMap<number, DamagesTerms>;
  /** The version whose terms apply when a breach names none known (the latest in force). */
  fallbackVersion: number;
  from: string;
  to: string;
  timeZone: string;
}): DamagesStatement {
  const { from, to, versions } = input;
  const termsOf = (version: number) => {
    const terms = versions.get(version) ?? versions.get(input.fallbackVersion);
    if (!terms) throw new Error(`no terms for contract version ${version}`);
    return terms;
  };
  const base = termsOf(input.fallbackVersion);
  const currency = base.currency;
  const zero: Money = { currency, minor: 0n };
  const monthsClaimed = new Set<string>();
  let claimed = zero;
  let claimedBefore = zero;
  const lines: StatementLine[] = [];
  for (const breach of [...input.breaches].filter((b) => b.deadline < to).sort(byDeadline)) {
    const terms = termsOf(breach.contractVersion);
    const total = money(terms.totalAmount, terms.currency);
    let claim = percentOf(total, terms.liquidatedDamagesRatePercent);
    let note: StatementLine['note'];
    if (terms.damagesCounting === 'per_month') {
      const month = localDate(input.timeZone, new Date(breach.deadline)).slice(0, 7);
      if (monthsClaimed.has(month)) {
        claim = zero;
        note = 'counted_in_month';
      }
      monthsClaimed.add(month);
    }
    if (terms.damagesCapPercent !== undefined) {
      const cap = percentOf(total, terms.damagesCapPercent);
      const room = { currency, minor: cap.minor > claimed.minor ? cap.minor - claimed.minor : 0n };
      if (claim.minor > room.minor) note = 'capped';
      claim = minMoney(claim, room);
    }
    claimed = sum(currency, [claimed, claim]);
    if (breach.deadline < from) {
      claimedBefore = sum(currency, [claimedBefore, claim]);
      continue;
    }
    const metInPeriod = breach.metAt !== undefined && breach.metAt < to ? breach.metAt : undefined;
    const end = Date.parse(metInPeriod ?? to);
    lines.push({
      subjectId: breach.subjectId,
      promise: breach.promise,
      deadline: breach.deadline,
      ...(metInPeriod ? { metAt: metInPeriod } : {}),
      minutesLate: Math.max(0, Math.ceil((end - Date.parse(breach.deadline)) / 60_000)),
      contractVersion: breach.contractVersion,
      ratePercent: terms.liquidatedDamagesRatePercent,
      damages: formatMoney(claim),
      ...(note ? { note } : {}),
    });
  }
  const periodTotal = { currency, minor: claimed.minor - claimedBefore.minor };
  return {
    currency,
    counting: base.damagesCounting,
    lines,
    damagesTotal: formatMoney(periodTotal),
    claimedBefore: formatMoney(claimedBefore),
  };
}
