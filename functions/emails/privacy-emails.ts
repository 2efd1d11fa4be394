import type { Language } from '#domain/service-request.ts';
import { renderEmail } from './layout.ts';

/**
 * To the tenant's first escalation level: a storefront forwarded a customer's request for the
 * data held about them (Shopify `customers/data_request`), and the export is ready for the
 * merchant to hand over. It names the request, not the customer: an email is not the place for
 * their data, the API is (and reading it there is on the access trail).
 */
export function dataRequestEmail(
  to: string[],
  input: {
    language: Language;
    source: string;
    dataRequestId: string;
    subjects: number;
    receivedAt: string;
    customerErasedAt?: string;
  },
) {
  const zh = input.language === 'zh-CN';
  return renderEmail(to, {
    language: input.language,
    subject: zh
      ? `客户数据查询请求：${input.dataRequestId}`
      : `A customer's data request: ${input.dataRequestId}`,
    heading: zh ? '客户要求查阅我们保存的个人数据' : 'A customer asked for the data we hold about them',
    paragraphs: [
      zh
        ? `${input.source} 转来一位客户的数据查询请求（合同第 12 条）。导出文件已生成，请在 30 天内通过 GET /v1/customer-data/requests/${input.dataRequestId} 取得并交给客户。`
        : `${input.source} forwarded a customer's request for their data (clause 12). The export is ready: fetch it with GET /v1/customer-data/requests/${input.dataRequestId} and hand it over within 30 days.`,
      ...(input.customerErasedAt
        ? [
            zh
              ? `该客户随后要求删除其数据（${input.customerErasedAt} 已删除）：导出文件为答复其查询而保留，取得一次后即删除。`
              : `The customer has since asked to be erased (done ${input.customerErasedAt}): the export is kept to answer their request, and is deleted once fetched.`,
          ]
        : []),
    ],
    rows: [
      [zh ? '请求编号' : 'Request', input.dataRequestId],
      [zh ? '收到时间' : 'Received', input.receivedAt],
      [zh ? '涉及记录' : 'Items', String(input.subjects)],
    ],
  });
}
