import type { Customer, Language } from '../../domain/service-request.ts';
import { renderEmail } from './layout.ts';

/** 7.1.1: the periodic satisfaction survey (or its one reminder), not tied to a request. */
export function periodicSurveyEmail(customer: Customer, language: Language, link: string, reminder: boolean) {
  const zh = language === 'zh-CN';
  return renderEmail([customer.email], {
    subject: reminder
      ? zh
        ? '提醒：请花一分钟评价我们的售后服务'
        : 'Reminder: a minute to rate our after-sales service'
      : zh
        ? '请评价我们的售后服务'
        : 'How is our after-sales service?',
    heading: zh ? `${customer.name}，您好` : `Hello ${customer.name}`,
    paragraphs: [
      zh
        ? '我们定期请客户评价售后服务和商品。您的意见我们会在 5 个工作日内处理并告知结果。'
        : 'We regularly ask our customers how we are doing. We handle every opinion within 5 working days and tell you the result.',
    ],
    rows: [],
    actions: [{ label: zh ? '填写满意度调查' : 'Take the satisfaction survey', url: link }],
    footer: zh ? '此邮件由售后服务系统发送。' : 'Sent by the after-sales service system.',
  });
}
