import type { Customer } from '#domain/service-request.ts';
import { type CustomerVoice, customerFooter, renderEmail } from './layout.ts';

/** 7.1.1: the periodic satisfaction survey (or its one reminder), not tied to a request. */
export function periodicSurveyEmail(
  customer: Customer,
  { language, merchant }: CustomerVoice,
  feedbackWorkingDays: number,
  link: string,
  reminder: boolean,
) {
  const zh = language === 'zh-CN';
  return renderEmail([customer.email], {
    language,
    subject: reminder
      ? zh
        ? `${merchant} 提醒：请花一分钟评价我们的售后服务`
        : `${merchant} reminder: a minute to rate our after-sales service`
      : zh
        ? `${merchant}：请评价我们的售后服务`
        : `${merchant}: how is our after-sales service?`,
    heading: zh ? `${customer.name}，您好` : `Hello ${customer.name}`,
    paragraphs: [
      zh
        ? `${merchant} 定期请客户评价售后服务和商品。您的意见我们会在 ${feedbackWorkingDays} 个工作日内处理并告知结果。`
        : `${merchant} regularly asks its customers how it is doing. We handle every opinion within ${feedbackWorkingDays} working days and tell you the result.`,
    ],
    rows: [],
    actions: [{ label: zh ? '填写满意度调查' : 'Take the satisfaction survey', url: link }],
    footer: customerFooter(language, merchant),
  });
}
