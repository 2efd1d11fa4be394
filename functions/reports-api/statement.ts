import { type ContractVersion, inForceFrom, versionInForce } from '#domain/contract.ts';
import { csvTable } from '#domain/csv.ts';
import { type BreachEvidence, type DamagesStatement, damagesStatement } from '#domain/damages.ts';
import { type LateFeeCounting, type PaymentsStatement, paymentsStatement } from '#domain/late-fees.ts';
import { breachesOfContract } from '../adapters/breaches.ts';
import { contractVersions, paymentScheduleOf, paymentsOf } from '../adapters/contracts.ts';
import { getFeedbackCase } from '../adapters/feedback-cases.ts';
import { getRequest } from '../adapters/requests.ts';
import { printablePage } from '../documents/printable.ts';
import { escapeHtml, formatInstant } from '../emails/layout.ts';

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
  // Recorded with the breach since 10.1.1's statement; read from the subject for older breaches.
  let contractVersion = breach.contractVersion;
  if (contractVersion === undefined && breach.promise === 'feedback') {
    const feedback = await getFeedbackCase(tenantId, breach.requestId);
    if (feedback) contractVersion = versionInForce(versions, new Date(feedback.receivedAt))?.version;
  } else if (contractVersion === undefined) {
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
  /** The version in force at the period's end (its number and parties head the printed page). */
  contractVersion: number;
  provider: string;
  customer: string;
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
    contractVersion: latest.version,
    provider: latest.terms.provider.companyName,
    customer: latest.terms.customer.companyName,
    final: asOf.getTime() >= Date.parse(period.to) + SETTLES_AFTER_MS,
    ...statement,
    payments: { counting: lateFeeCounting, lateFeeRatePercent, ...paid },
  };
}

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
  return `${csvTable([header, ...rows])}\r\n${csvTable(payments)}`;
}

const PROMISES_ZH = { response: '响应', completion: '完成服务', feedback: '反馈处理' } as const;
const NOTES_ZH = { counted_in_month: '已计入当月违约金', capped: '已达违约金上限' } as const;

/**
 * The statement as a printable page in Chinese, the contract's official language (14.2): the
 * breaches with their evidence and damages, the payments with their late fees, and places for
 * both parties to sign.
 */
export function statementPage(
  statement: ContractStatement,
  period: { from: string; to: string; timeZone: string },
): string {
  const cell = (value: unknown) => `<td>${escapeHtml(value ?? '—')}</td>`;
  const at = (instant?: string) => (instant ? formatInstant(instant, period.timeZone, 'zh-CN') : undefined);
  const breaches = statement.lines
    .map(
      (l) =>
        `<tr>${[l.subjectId, PROMISES_ZH[l.promise], at(l.deadline), at(l.metAt) ?? '期末仍未履行', l.minutesLate, `第 ${l.contractVersion} 版`, `${l.ratePercent}%`, l.damages, l.note ? NOTES_ZH[l.note] : undefined].map(cell).join('')}</tr>`,
    )
    .join('');
  const installments = statement.payments.installments
    .map(
      (i) =>
        `<tr>${[i.dueDate, i.label, i.amount, i.paid, i.outstanding, i.paidInFullOn, i.daysLate, i.lateFee].map(cell).join('')}</tr>`,
    )
    .join('');
  const head = (names: string[]) =>
    `<thead><tr>${names.map((n) => `<th scope="col">${n}</th>`).join('')}</tr></thead>`;
  const totals = statement.payments.totals;
  const currency = escapeHtml(statement.currency);
  return printablePage({
    language: 'zh-CN',
    title: '违约金及滞纳金结算单',
    header: {
      merchant: statement.provider,
      contract: { number: statement.contractNumber, version: statement.contractVersion },
    },
    body: [
      `<p>客户：${escapeHtml(statement.customer)}　结算期间：${escapeHtml(period.from)} 至 ${escapeHtml(period.to)}（${escapeHtml(period.timeZone)}）　${statement.final ? '已结算，金额不再变动' : '期间未结束，金额可能变动'}</p>`,
      `<section><h2>违约记录（第 10.1.1 条，${statement.counting === 'per_month' ? '每月计一次' : '每次违约计一次'}）</h2>`,
      `<table>${head(['服务单号', '承诺', '期限', '履行时间', '逾期（分钟）', '适用版本', '违约金比例', `违约金（${currency}）`, '说明'])}<tbody>${breaches || '<tr><td colspan="9">本期无违约记录</td></tr>'}</tbody></table>`,
      `<p>本期违约金合计：<strong>${escapeHtml(statement.damagesTotal)} ${currency}</strong>（此前已计：${escapeHtml(statement.claimedBefore)} ${currency}）</p></section>`,
      `<section><h2>付款及滞纳金（第 10.1.2 条，比例 ${statement.payments.lateFeeRatePercent}%${statement.payments.counting === 'per_day' ? '／日' : '／次'}）</h2>`,
      `<table>${head(['到期日', '款项', '应付', '已付', '未付', '付清日', '逾期天数', `滞纳金（${currency}）`])}<tbody>${installments || '<tr><td colspan="8">期末前无到期款项</td></tr>'}</tbody></table>`,
      `<p>应付合计 ${escapeHtml(totals.due)}，已付 ${escapeHtml(totals.paid)}，逾期未付 ${escapeHtml(totals.overdue)}，滞纳金合计 <strong>${escapeHtml(totals.lateFees)} ${currency}</strong></p></section>`,
      '<div class="signatures"><p>服务提供方（盖章）</p><p>客户（盖章）</p></div>',
    ].join(''),
  });
}
