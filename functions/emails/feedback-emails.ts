import type { Language } from '#domain/service-request.ts';
import type { StoredFeedbackCase } from '../adapters/feedback-cases.ts';
import { type CustomerVoice, customerFooter, renderEmail } from './layout.ts';

const categoryNames: Record<Language, Record<StoredFeedbackCase['category'], string>> = {
  'zh-CN': { complaint: '投诉', low_score: '满意度评价', suggestion: '建议', opinion: '意见' },
  en: {
    complaint: 'Complaint',
    low_score: 'Satisfaction rating',
    suggestion: 'Suggestion',
    opinion: 'Opinion',
  },
};

export const feedbackCategoryName = (language: Language, category: StoredFeedbackCase['category']) =>
  categoryNames[language][category];

export function feedbackPromiseText(language: Language, workingDays: number): string {
  return language === 'zh-CN'
    ? `${workingDays} 个工作日内处理反馈并告知结果（第 7.2.1 条）`
    : `handle feedback within ${workingDays} working days and tell the result (clause 7.2.1)`;
}

/** 7.2.1: the customer is told what was done about their feedback, and what will change. */
export function feedbackResultEmail(feedback: StoredFeedbackCase, { language, merchant }: CustomerVoice) {
  const zh = language === 'zh-CN';
  const resolution = feedback.resolution!;
  const about = feedback.requestId
    ? zh
      ? `（服务请求 ${feedback.requestId}）`
      : ` (service request ${feedback.requestId})`
    : '';
  return renderEmail([feedback.customer.email], {
    language,
    subject: zh
      ? `${merchant}：您的${categoryNames[language][feedback.category]}已处理${about}`
      : `${merchant}: your ${categoryNames[language][feedback.category].toLowerCase()} was handled${about}`,
    heading: zh ? `${feedback.customer.name}，您好` : `Hello ${feedback.customer.name}`,
    paragraphs: [zh ? '感谢您的反馈。处理结果如下：' : 'Thank you for your feedback. This is what we did:'],
    rows: [
      [zh ? '反馈编号' : 'Reference', feedback.feedbackId],
      [zh ? '您的反馈' : 'Your feedback', feedback.content],
      [zh ? '处理结果' : 'Result', resolution.result],
      ...(resolution.changes
        ? ([[zh ? '改进措施' : 'What will change', resolution.changes]] as [string, string][])
        : []),
    ],
    footer: customerFooter(language, merchant),
  });
}
