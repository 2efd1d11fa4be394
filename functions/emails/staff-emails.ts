import type { Language } from '#domain/service-request.ts';
import { renderEmail } from './layout.ts';

/**
 * To a new staff member: their tenant's admin added them. They sign in to the console with
 * their email and this temporary password, and choose their own at once (Cognito asks);
 * the temporary one lapses after 7 days (the pool's policy).
 */
export function staffInvitationEmail(
  to: string,
  input: {
    language: Language;
    merchant: string;
    name: string;
    consoleUrl: string;
    temporaryPassword: string;
  },
) {
  const zh = input.language === 'zh-CN';
  return renderEmail([to], {
    language: input.language,
    subject: zh
      ? `${input.merchant} 售后服务系统：您的账号`
      : `${input.merchant} after-sales service: your sign-in`,
    heading: zh ? `${input.name}，欢迎加入` : `Welcome, ${input.name}`,
    paragraphs: [
      zh
        ? '管理员已为您开通售后服务控制台账号。请用您的邮箱和下面的临时密码登录，登录后请立即设置您自己的密码。临时密码 7 天内有效。'
        : 'Your admin has given you a sign-in to the after-sales service console. Sign in with your email and the temporary password below, then choose your own password. The temporary password lapses in 7 days.',
    ],
    rows: [
      [zh ? '登录邮箱' : 'Email', to],
      [zh ? '临时密码' : 'Temporary password', input.temporaryPassword],
    ],
    actions: [{ label: zh ? '打开控制台' : 'Open the console', url: input.consoleUrl }],
  });
}
