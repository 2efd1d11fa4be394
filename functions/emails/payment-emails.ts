import type { ContractTerms } from '#domain/contract.ts';
import type { InstallmentLine } from '#domain/late-fees.ts';
import type { EmailMessage } from '../adapters/mailer.ts';
import { renderEmail } from './layout.ts';

/**
 * 10.1.2: the customer is reminded of a payment before it falls due, and told once it is late
 * with the late fee it accrues, in the contract's language (14.2: Chinese unless the contract
 * is in English).
 */
export function paymentReminderEmail(
  to: string,
  reminder: 'upcoming' | 'overdue',
  terms: Pick<
    ContractTerms,
    'contractNumber' | 'currency' | 'language' | 'lateFeeRatePercent' | 'lateFeeCounting' | 'provider'
  >,
  installment: InstallmentLine,
): EmailMessage {
  const zh = terms.language === 'zh-CN';
  const amount = `${installment.outstanding} ${terms.currency}`;
  const fee = zh
    ? `逾期将按应付金额的 ${terms.lateFeeRatePercent}%${terms.lateFeeCounting === 'per_day' ? '／日' : ''}收取滞纳金（合同第 10.1.2 条）。`
    : `A late payment accrues a late fee of ${terms.lateFeeRatePercent} % of the amount due${terms.lateFeeCounting === 'per_day' ? ' per day' : ''} (clause 10.1.2).`;
  const subject = zh
    ? `【合同 ${terms.contractNumber}】${reminder === 'upcoming' ? `付款提醒：${amount} 将于 ${installment.dueDate} 到期` : `付款逾期：${amount} 已于 ${installment.dueDate} 到期`}`
    : `[Contract ${terms.contractNumber}] ${reminder === 'upcoming' ? `Payment reminder: ${amount} due on ${installment.dueDate}` : `Payment overdue: ${amount} was due on ${installment.dueDate}`}`;
  return renderEmail([to], {
    language: terms.language,
    subject,
    heading: zh
      ? reminder === 'upcoming'
        ? '付款提醒'
        : '付款逾期通知'
      : reminder === 'upcoming'
        ? 'Payment reminder'
        : 'Payment overdue',
    paragraphs: [
      zh
        ? reminder === 'upcoming'
          ? `合同 ${terms.contractNumber} 的以下款项即将到期，请按期支付。`
          : `合同 ${terms.contractNumber} 的以下款项已到期尚未付清，请尽快支付。`
        : reminder === 'upcoming'
          ? `The following payment under contract ${terms.contractNumber} falls due soon.`
          : `The following payment under contract ${terms.contractNumber} is past its due date and not yet paid in full.`,
      fee,
    ],
    rows: [
      [zh ? '款项' : 'Installment', installment.label ?? installment.dueDate],
      [zh ? '到期日' : 'Due date', installment.dueDate],
      [zh ? '应付金额' : 'Amount due', `${installment.amount} ${terms.currency}`],
      [zh ? '未付金额' : 'Outstanding', amount],
      ...(reminder === 'overdue'
        ? ([[zh ? '截至今日滞纳金' : 'Late fee so far', `${installment.lateFee} ${terms.currency}`]] as [
            string,
            string,
          ][])
        : []),
    ],
    footer: terms.provider.companyName,
  });
}
