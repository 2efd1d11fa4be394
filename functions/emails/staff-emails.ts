import type { Language } from '#domain/service-request.ts';
import { formatInstant, renderEmail } from './layout.ts';

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

/** What a colleague is told of a request handed to them: what it is and where to open it. */
interface WorkHandedOver {
  requestId: string;
  kind: string;
  customerName: string;
  /** Who handed it over, by name. */
  by: string;
  link: string;
  timeZone: string;
}

/** A request assigned to a colleague (#37): it is theirs now; why, when it was taken from another. */
export function assignedEmail(
  to: string,
  input: WorkHandedOver & { reason?: string; deadline?: string },
  language: Language,
) {
  const zh = language === 'zh-CN';
  return renderEmail([to], {
    language,
    subject: zh
      ? `${input.by} 把请求 ${input.requestId} 分配给了您`
      : `${input.by} assigned ${input.requestId} to you`,
    heading: zh ? '一个请求分配给了您' : 'A request is yours now',
    paragraphs: input.reason ? [zh ? `原因：${input.reason}` : `Why: ${input.reason}`] : [],
    rows: [
      [zh ? '编号' : 'Reference', input.requestId],
      [zh ? '类型' : 'Kind', input.kind],
      [zh ? '客户' : 'Customer', input.customerName],
      ...(input.deadline
        ? [
            [zh ? '下一期限' : 'Next deadline', formatInstant(input.deadline, input.timeZone, language)] as [
              string,
              string,
            ],
          ]
        : []),
    ],
    actions: [{ label: zh ? '打开' : 'Open', url: input.link }],
  });
}

/** A technician dispatched (6.2.1): on site or remote, the appointment, the customer, the link. */
export function dispatchedEmail(
  to: string,
  input: WorkHandedOver & {
    mode: 'on_site' | 'remote';
    scheduledFor?: string;
    customerPhone?: string;
    description: string;
  },
  language: Language,
) {
  const zh = language === 'zh-CN';
  const mode = input.mode === 'on_site' ? (zh ? '上门' : 'On site') : zh ? '远程' : 'Remote';
  return renderEmail([to], {
    language,
    subject: zh ? `派工：${input.requestId}（${mode}）` : `Dispatched: ${input.requestId} (${mode})`,
    heading: zh ? '您被派往处理一个请求' : 'You are dispatched to a request',
    paragraphs: [input.description],
    rows: [
      [zh ? '编号' : 'Reference', input.requestId],
      [zh ? '类型' : 'Kind', input.kind],
      [zh ? '方式' : 'Mode', mode],
      [
        zh ? '预约时间' : 'Appointment',
        input.scheduledFor
          ? formatInstant(input.scheduledFor, input.timeZone, language)
          : zh
            ? '待与客户约定'
            : 'to agree with the customer',
      ],
      [zh ? '客户' : 'Customer', input.customerName],
      ...(input.customerPhone ? [[zh ? '电话' : 'Phone', input.customerPhone] as [string, string]] : []),
      [zh ? '派工人' : 'Dispatched by', input.by],
    ],
    actions: [{ label: zh ? '打开' : 'Open', url: input.link }],
  });
}
