import { kindName, type Language } from '#domain/service-request.ts';
import type { RequestWithCustomer, StoredRequest } from '../adapters/requests.ts';
import { type CustomerVoice, customerFooter, formatInstant, renderEmail } from './layout.ts';

const promiseNames = {
  'zh-CN': {
    response: (h: number) => `${h} 小时内响应（第 6.1.2 条）`,
    completion: (h: number) => `${h} 小时内完成（第 6.2.1 条）`,
  },
  en: {
    response: (h: number) => `respond within ${h} hours (clause 6.1.2)`,
    completion: (h: number) => `complete within ${h} hours (clause 6.2.1)`,
  },
};

/** The promise a request's deadline stands for, in the managers' language. */
export function requestPromiseText(
  language: Language,
  request: StoredRequest,
  promise: 'response' | 'completion',
) {
  const hours = promise === 'response' ? request.terms.responseHours : request.terms.completionHours;
  return promiseNames[language][promise](hours);
}

/** 6.1.2: the need is confirmed with the customer. */
export function confirmationEmail(request: RequestWithCustomer, { language, merchant }: CustomerVoice) {
  const zh = language === 'zh-CN';
  return renderEmail([request.customer.email], {
    language,
    subject: zh
      ? `${merchant}：您的服务请求 ${request.requestId} 已受理`
      : `${merchant}: your service request ${request.requestId} is confirmed`,
    heading: zh ? `${request.customer.name}，您好` : `Hello ${request.customer.name}`,
    paragraphs: [
      zh
        ? `${merchant} 已收到并确认您的服务需求，将按合同约定的时间为您处理。`
        : `${merchant} has received and confirmed your service need and will handle it within the time agreed in your contract.`,
    ],
    rows: [
      [zh ? '请求编号' : 'Request', request.requestId],
      [zh ? '服务类型' : 'Service', kindName(language, request.kind)],
      [zh ? '您的描述' : 'Your description', request.description],
    ],
    footer: customerFooter(language, merchant),
  });
}

/**
 * A request cancelled after the customer was told its need is confirmed: they hear it is off,
 * so the last thing they were told is true (#37). The reason stays internal (staff write it for
 * colleagues); the customer can answer the email to ask.
 */
export function cancellationEmail(request: RequestWithCustomer, { language, merchant }: CustomerVoice) {
  const zh = language === 'zh-CN';
  return renderEmail([request.customer.email], {
    language,
    subject: zh
      ? `${merchant}：您的服务请求 ${request.requestId} 已取消`
      : `${merchant}: your service request ${request.requestId} is cancelled`,
    heading: zh ? `${request.customer.name}，您好` : `Hello ${request.customer.name}`,
    paragraphs: [
      zh
        ? `${merchant} 已取消您的这项服务请求。如有疑问或仍需服务，请直接回复本邮件。`
        : `${merchant} has cancelled this service request. If you did not expect this or still need the service, reply to this email.`,
    ],
    rows: [
      [zh ? '请求编号' : 'Request', request.requestId],
      [zh ? '服务类型' : 'Service', kindName(language, request.kind)],
      [zh ? '您的描述' : 'Your description', request.description],
    ],
    footer: customerFooter(language, merchant),
  });
}

/** 6.1.4, 6.2.1c: the service record handed to the customer. */
export function serviceRecordEmail(
  request: RequestWithCustomer,
  { language, merchant }: CustomerVoice,
  timeZone: string,
  surveyLink: string,
) {
  const record = request.serviceRecord!;
  const zh = language === 'zh-CN';
  return renderEmail([request.customer.email], {
    language,
    subject: zh
      ? `${merchant}：服务记录 ${record.recordNumber}`
      : `${merchant}: service record ${record.recordNumber}`,
    heading: zh ? `${merchant} 服务记录` : `${merchant} service record`,
    rows: [
      [zh ? '记录编号' : 'Record', record.recordNumber],
      [zh ? '服务类型' : 'Service', kindName(language, request.kind)],
      [zh ? '服务内容' : 'Work done', record.workDone],
      [zh ? '开始时间' : 'Started', formatInstant(record.startedAt, timeZone, language)],
      [zh ? '结束时间' : 'Ended', formatInstant(record.endedAt, timeZone, language)],
      [zh ? '服务人员' : 'Staff', record.staff.map((s) => s.name).join(', ')],
      [
        zh ? '是否恢复正常使用' : 'Back to normal use',
        record.restoredToNormalUse ? (zh ? '是' : 'Yes') : zh ? '否' : 'No',
      ],
    ],
    paragraphs: [
      zh
        ? `请花一分钟评价本次服务：您的意见我们会在 ${request.terms.feedbackWorkingDays} 个工作日内处理并告知结果。`
        : `Please take a minute to rate this service: we handle every opinion within ${request.terms.feedbackWorkingDays} working days and tell you the result.`,
    ],
    actions: [{ label: zh ? '填写满意度调查' : 'Take the satisfaction survey', url: surveyLink }],
    footer: zh
      ? `本记录由 ${merchant} 签发，签发后不可更改。`
      : `Issued by ${merchant}; this record cannot be changed once issued.`,
  });
}

/** 7.1: the one reminder for an unanswered survey. */
export function surveyReminderEmail(
  request: RequestWithCustomer,
  { language, merchant }: CustomerVoice,
  surveyLink: string,
) {
  const zh = language === 'zh-CN';
  return renderEmail([request.customer.email], {
    language,
    subject: zh
      ? `${merchant} 提醒：请评价服务 ${request.requestId}`
      : `${merchant} reminder: how did we do on ${request.requestId}?`,
    heading: zh ? `${request.customer.name}，您好` : `Hello ${request.customer.name}`,
    paragraphs: [
      zh
        ? '您还没有评价我们最近的服务，只需一分钟。'
        : 'You have not rated our recent service yet; it takes a minute.',
    ],
    rows: [[zh ? '服务类型' : 'Service', kindName(language, request.kind)]],
    actions: [{ label: zh ? '填写满意度调查' : 'Take the satisfaction survey', url: surveyLink }],
    footer: customerFooter(language, merchant),
  });
}
