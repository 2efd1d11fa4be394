import { minutesLate } from '#domain/breach.ts';
import type { Customer, Language } from '#domain/service-request.ts';
import { formatInstant, renderEmail } from './layout.ts';

/** What an escalation email is about: a service request or a feedback case. */
export interface EscalationEmailInput {
  reference: string;
  /** What kind of work, in the managers' language ("维修", "Complaint"). */
  what: string;
  /** The promise at stake, in the managers' language ("2 小时内响应（第 6.1.2 条）"). */
  promise: string;
  deadline: Date;
  /** 0 = the "approaching" warning to the assignee; 1… = the ladder's levels. */
  level: number;
  /** The top level's working-morning reminder while the promise stays broken. */
  reminder?: boolean;
  levelName?: string;
  assigneeName?: string;
  customer?: Customer;
  customerWords: string;
  now: Date;
  actions: { acknowledge?: string; takeOver?: string; console?: string };
  language: Language;
  /** The tenant's: the deadline is shown in it. */
  timeZone: string;
}

/** To the level's managers: which request, which promise, the deadline, how late, who, the customer's words. */
export function escalationEmail(input: EscalationEmailInput, to: string[]) {
  const { language } = input;
  const late = minutesLate({ deadline: input.deadline.toISOString() }, input.now);
  const zh = language === 'zh-CN';
  const warning = input.level === 0;
  const levelName = input.levelName ?? `#${input.level}`;
  const subject = warning
    ? zh
      ? `[即将超时] ${input.reference}：${input.promise}`
      : `[Deadline approaching] ${input.reference}: ${input.promise}`
    : input.reminder
      ? zh
        ? `[仍未处理 ${levelName}] ${input.reference} 已超时 ${lateText(late, language)}`
        : `[Still open ${levelName}] ${input.reference} is ${lateText(late, language)} late`
      : zh
        ? `[升级 ${levelName}] ${input.reference} 已超时 ${lateText(late, language)}`
        : `[Escalation ${levelName}] ${input.reference} is ${lateText(late, language)} late`;
  const actions = [
    ...(input.actions.acknowledge
      ? [{ label: zh ? '确认响应' : 'Acknowledge', url: input.actions.acknowledge }]
      : []),
    ...(input.actions.takeOver
      ? [{ label: zh ? '由我接手' : 'Take over', url: input.actions.takeOver }]
      : []),
    ...(input.actions.console
      ? [{ label: zh ? '在控制台中查看' : 'Open in the console', url: input.actions.console }]
      : []),
  ];
  return renderEmail(to, {
    language,
    subject,
    heading: warning
      ? zh
        ? '服务期限即将到期'
        : 'A service deadline is approaching'
      : input.reminder
        ? zh
          ? '服务承诺仍未履行，请今天处理'
          : 'A missed service promise is still open: please act today'
        : zh
          ? '服务承诺未按时履行'
          : 'A service promise was missed',
    rows: [
      [zh ? '编号' : 'Reference', `${input.reference} (${input.what})`],
      [zh ? '承诺' : 'Promise', input.promise],
      [zh ? '期限' : 'Deadline', formatInstant(input.deadline, input.timeZone, language)],
      [zh ? '超时' : 'Late by', warning ? '-' : lateText(late, language)],
      [zh ? '负责人' : 'Assigned to', input.assigneeName ?? (zh ? '未分配' : 'nobody')],
      [
        zh ? '客户' : 'Customer',
        input.customer
          ? `${input.customer.name} <${input.customer.email}>`
          : zh
            ? '客户信息待补全（正在从店铺读取）'
            : 'customer details pending (being read from the shop)',
      ],
      [zh ? '客户描述' : "Customer's words", input.customerWords],
    ],
    actions,
    footer:
      actions.length > 0
        ? zh
          ? '链接无需登录即可使用，在该事项处理完毕之前一直有效。'
          : 'These links work without logging in, for as long as this stays open.'
        : undefined,
  });
}

/** How late, as people say it: minutes, then hours and minutes, then days and hours. */
function lateText(minutes: number, language: Language): string {
  const zh = language === 'zh-CN';
  if (minutes < 60) return zh ? `${minutes} 分钟` : `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    const rest = minutes % 60;
    if (zh) return rest ? `${hours} 小时 ${rest} 分钟` : `${hours} 小时`;
    return rest ? `${hours} h ${rest} min` : `${hours} hours`;
  }
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  if (zh) return restHours ? `${days} 天 ${restHours} 小时` : `${days} 天`;
  return restHours ? `${days} days ${restHours} h` : `${days} days`;
}
