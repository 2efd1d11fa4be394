import type { Language } from '#domain/service-request.ts';
import { renderEmail } from './layout.ts';

/**
 * To the staff who answer for a request or case: the customer's address no longer takes email
 * (a permanent bounce, or the customer marked one as spam), so what the contract says must be
 * told to them (a confirmation, a service record, a result) is to be told another way.
 */
export function undeliverableEmail(
  to: string[],
  input: {
    language: Language;
    reference: string;
    customerName: string;
    address: string;
    phone?: string;
    reason: 'bounce' | 'complaint';
    detail: string;
  },
) {
  const zh = input.language === 'zh-CN';
  const why =
    input.reason === 'bounce'
      ? zh
        ? '邮件被退回（地址无效或已停用）'
        : 'the email bounced (the address does not exist or no longer takes mail)'
      : zh
        ? '客户将我们的邮件标记为垃圾邮件'
        : 'the customer marked our email as spam';
  return renderEmail(to, {
    language: input.language,
    subject: zh
      ? `请通过其他方式联系客户：${input.reference}`
      : `Reach the customer another way: ${input.reference}`,
    heading: zh ? '客户邮箱无法送达' : 'The customer’s email cannot be reached',
    paragraphs: [
      zh
        ? '今后不再向此地址发送邮件。合同要求告知客户的内容（需求确认、服务记录、处理结果），请通过电话等其他方式告知，并在系统中更新客户信息。'
        : 'No more email goes to this address. What the contract says the customer must be told (the confirmation, the service record, a result) is to be told another way, by phone for instance, and the customer’s details updated.',
    ],
    rows: [
      [zh ? '编号' : 'Reference', input.reference],
      [zh ? '客户' : 'Customer', input.customerName],
      [zh ? '邮箱' : 'Email', input.address],
      [zh ? '电话' : 'Phone', input.phone ?? '—'],
      [zh ? '原因' : 'Why', why],
      [zh ? '详情' : 'Detail', input.detail],
    ],
  });
}
