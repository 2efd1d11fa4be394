import type { Language } from '#domain/service-request.ts';
import { type CustomerVoice, customerFooter, renderEmail } from './layout.ts';

/** What a subject is called in an email's subject line, so every email of a thread has one. */
export function threadSubject(subjectId: string, { language, merchant }: CustomerVoice): string {
  const request = subjectId.startsWith('sr_');
  if (language === 'zh-CN') return `${merchant}：您的${request ? '服务请求' : '反馈'} ${subjectId}`;
  return `${merchant}: your ${request ? 'service request' : 'feedback'} ${subjectId}`;
}

/**
 * Staff's reply to the customer (#36): their words as written, in the customer's language
 * around them; answering it reaches the subject (the Reply-To is its reply address).
 */
export function replyEmail(
  to: string,
  subjectId: string,
  input: { customerName: string; text: string; staffName: string },
  voice: CustomerVoice,
) {
  const zh = voice.language === 'zh-CN';
  return renderEmail([to], {
    language: voice.language,
    subject: `Re: ${threadSubject(subjectId, voice)}`,
    heading: zh ? `${input.customerName}，您好` : `Hello ${input.customerName}`,
    paragraphs: [
      ...input.text.split(/\n{2,}/),
      zh
        ? `${input.staffName}（${voice.merchant}）。直接回复本邮件即可，可附上照片。`
        : `${input.staffName}, ${voice.merchant}. Answer this email to reply; photos are welcome.`,
    ],
    rows: [[zh ? '编号' : 'Reference', subjectId]],
    footer: customerFooter(voice.language, voice.merchant),
  });
}

/** A colleague mentioned in a note: who, where, and a link to it. */
export function mentionEmail(
  to: string,
  input: { subjectId: string; author: string; text: string; link: string },
  language: Language,
) {
  const zh = language === 'zh-CN';
  return renderEmail([to], {
    language,
    subject: zh
      ? `${input.author} 在 ${input.subjectId} 的备注中提到了您`
      : `${input.author} mentioned you in a note on ${input.subjectId}`,
    heading: zh ? '有同事提到了您' : 'A colleague mentioned you',
    paragraphs: [input.text],
    rows: [[zh ? '编号' : 'Reference', input.subjectId]],
    actions: [{ label: zh ? '打开' : 'Open', url: input.link }],
  });
}
