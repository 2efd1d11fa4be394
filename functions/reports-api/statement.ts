import { type ContractVersion, inForceFrom, versionInForce } from '../../domain/contract.ts';
import { type BreachEvidence, type DamagesStatement, damagesStatement } from '../../domain/damages.ts';
import { type LateFeeCounting, type PaymentsStatement, paymentsStatement } from '../../domain/late-fees.ts';
import { breachesOfContract } from '../adapters/breaches.ts';
import { contractVersions, paymentScheduleOf, paymentsOf } from '../adapters/contracts.ts';
import { getFeedbackCase } from '../adapters/feedback-cases.ts';
import { getRequest } from '../adapters/requests.ts';

/**
 * A statement is final one day after its period ends: breaches are recorded when their deadline
 * passes (the escalation step, or the reconciler within minutes), so by then none can be added.
 */
const SETTLES_AFTER_MS = 86_400_000;

/**
 * The version each breach is judged by: a request keeps the version in force when it was
 * received (its applied terms); a feedback case is judged by the version in force at its receipt.
 */
async function evidenceOf(
  tenantId: string,
  breach: Awaited<ReturnType<typeof breachesOfContract>>[number],
  versions: readonly ContractVersion[],
): Promise<BreachEvidence> {
  let contractVersion: number | undefined;
  if (breach.promise === 'feedback') {
    const feedback = await getFeedbackCase(tenantId, breach.requestId);
    if (feedback) contractVersion = versionInForce(versions, new Date(feedback.receivedAt))?.version;
  } else {
    contractVersion = (await getRequest(tenantId, breach.requestId))?.terms.contractVersion;
  }
  return {
    subjectId: breach.requestId,
    promise: breach.promise,
    deadline: breach.deadline,
    ...(breach.metAt ? { metAt: breach.metAt } : {}),
    contractVersion: contractVersion ?? 0,
  };
}

export interface ContractStatement extends DamagesStatement {
  contractId: string;
  contractNumber: string;
  payments: PaymentsStatement & { counting: LateFeeCounting; lateFeeRatePercent: number };
  /** The period is over and settled: these numbers will not change. */
  final: boolean;
}

/** The damages statement of a contract for [from, to); undefined when no version was ever in force. */
export async function contractStatement(
  tenantId: string,
  contractId: string,
  period: { from: string; to: string; timeZone: string; lastDay: string },
  asOf: Date,
): Promise<ContractStatement | undefined> {
  const versions = await contractVersions(tenantId, contractId);
  const inForce = versions.filter((v) => inForceFrom(v) !== undefined);
  if (inForce.length === 0) return undefined;
  const latest =
    versionInForce(inForce, new Date(Math.min(Date.parse(period.to) - 1, asOf.getTime()))) ??
    inForce.reduce((a, b) => (a.version > b.version ? a : b));
  const breaches = await breachesOfContract(tenantId, contractId, period.to);
  const evidence: BreachEvidence[] = [];
  // A few at a time: a busy contract has many breached requests to read.
  for (let i = 0; i < breaches.length; i += 25)
    evidence.push(
      ...(await Promise.all(breaches.slice(i, i + 25).map((b) => evidenceOf(tenantId, b, inForce)))),
    );
  const statement = damagesStatement({
    breaches: evidence,
    versions: new Map(inForce.map((v) => [v.version, v.terms])),
    fallbackVersion: latest.version,
    from: period.from,
    to: period.to,
    timeZone: period.timeZone,
  });
  const [installments, payments] = await Promise.all([
    paymentScheduleOf(tenantId, contractId),
    paymentsOf(tenantId, contractId),
  ]);
  const { lateFeeRatePercent, lateFeeCounting, currency } = latest.terms;
  const paid = paymentsStatement({
    installments,
    payments,
    currency,
    lateFeeRatePercent,
    counting: lateFeeCounting,
    through: period.lastDay,
  });
  return {
    contractId,
    contractNumber: latest.terms.contractNumber,
    final: asOf.getTime() >= Date.parse(period.to) + SETTLES_AFTER_MS,
    ...statement,
    payments: { counting: lateFeeCounting, lateFeeRatePercent, ...paid },
  };
}

const csvField = (value: unknown) => {
  const text = value === undefined ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The statement's lines as CSV (a spreadsheet's columns), its totals last. */
export function statementCsv(statement: ContractStatement): string {
  const header = [
    'subject',
    'promise',
    'deadline',
    'met_at',
    'minutes_late',
    'contract_version',
    'rate_percent',
    'damages',
    'currency',
    'note',
  ];
  const rows = statement.lines.map((line) => [
    line.subjectId,
    line.promise,
    line.deadline,
    line.metAt,
    line.minutesLate,
    line.contractVersion,
    line.ratePercent,
    line.damages,
    statement.currency,
    line.note,
  ]);
  rows.push([
    'total',
    '',
    '',
    '',
    '',
    '',
    '',
    statement.damagesTotal,
    statement.currency,
    statement.final ? 'final' : 'provisional',
  ]);
  const i = statement.payments.installments;
  const totals = statement.payments.totals;
  const payments = [
    [
      'due_date',
      'label',
      'amount',
      'paid',
      'outstanding',
      'paid_in_full_on',
      'days_late',
      'late_fee',
      'currency',
    ],
    ...i.map((l) => [
      l.dueDate,
      l.label,
      l.amount,
      l.paid,
      l.outstanding,
      l.paidInFullOn,
      l.daysLate,
      l.lateFee,
      statement.currency,
    ]),
    ['total', '', totals.due, totals.paid, totals.overdue, '', '', totals.lateFees, statement.currency],
  ];
  // Two tables, a blank line between: the breaches and their damages, then the payments.
  const table = (lines: unknown[][]) => lines.map((row) => row.map(csvField).join(',')).join('\n');
  return `${table([header, ...rows])}\n\n${table(payments)}\n`;
}
