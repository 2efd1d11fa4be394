import type { SlaTerms } from './contract.ts';
import type { EscalationLadder } from './escalation-ladder.ts';
import { kindName, type Language, requestKinds } from './service-request.ts';

/**
 * The service flow chart the contract attaches (11.2), at the contract's level and in its words:
 * what happens to a customer's request, with the contract version's own figures (an amendment
 * that changes "2 hours" changes the chart). Chinese is the official text (14.2); the English is
 * a translation. Drawn by functions/flow-charts/service-flow-svg.ts.
 */
export interface FlowBox {
  id: string;
  heading: string;
  lines: string[];
  clause: string;
  /** The escalation path is drawn apart, as what happens when a promise is missed. */
  kind: 'step' | 'promise-missed';
}

export interface FlowArrow {
  from: string;
  to: string;
  label?: string;
  /** Not the normal path: a missed promise, or a warranty claim starting over. */
  dashed?: boolean;
}

export interface ServiceFlow {
  title: string;
  /** For a translation: that the Chinese text is the one that binds. */
  translationNote?: string;
  boxes: FlowBox[];
  arrows: FlowArrow[];
}

/** Hours as the contract states them: whole hours, or minutes for a fraction. */
export function hoursText(hours: number, language: Language): string {
  if (Number.isInteger(hours))
    return language === 'zh-CN' ? `${hours} 小时` : `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
  const minutes = Math.round(hours * 60);
  return language === 'zh-CN' ? `${minutes} 分钟` : `${minutes} minutes`;
}

/** Two per line, so a box stays readable on A4. */
const pairs = (items: string[]) =>
  items.reduce<string[]>((lines, item, i) => {
    if (i % 2 === 0) lines.push(item);
    else lines[lines.length - 1] += ` · ${item}`;
    return lines;
  }, []);

export function serviceFlow(input: {
  sla: SlaTerms;
  ladder: EscalationLadder;
  language: Language;
}): ServiceFlow {
  const { sla, ladder, language } = input;
  const zh = language === 'zh-CN';
  const h = (hours: number) => hoursText(hours, language);
  const perKind = pairs(
    requestKinds.map((kind) => `${kindName(language, kind)} ${h(sla.completionHours[kind])}`),
  );
  const levels = ladder.levels
    .map((level, i) =>
      i === 0 || level.delayMinutes === 0
        ? level.name
        : zh
          ? `${level.name}（再过 ${level.delayMinutes} 分钟）`
          : `${level.name} (${level.delayMinutes} min later)`,
    )
    .join(' → ');
  const boxes: FlowBox[] = zh
    ? [
        {
          id: 'request',
          heading: '客户提出服务请求',
          lines: ['通过官方渠道：电话、网站、网店'],
          clause: '6.1.1',
          kind: 'step',
        },
        {
          id: 'respond',
          heading: `${h(sla.responseHours)}内响应`,
          lines: ['确认服务需求并告知客户'],
          clause: '6.1.2',
          kind: 'step',
        },
        {
          id: 'dispatch',
          heading: '安排具备资质的人员',
          lines: ['上门服务或远程服务'],
          clause: '6.1.3、6.2.1',
          kind: 'step',
        },
        {
          id: 'complete',
          heading: '在约定时限内完成服务',
          lines: [...perKind, '完成后交付服务记录'],
          clause: '6.1.4、6.2.1',
          kind: 'step',
        },
        {
          id: 'survey',
          heading: '满意度调查',
          lines: ['邀请客户评价服务与商品'],
          clause: '7.1',
          kind: 'step',
        },
        {
          id: 'feedback',
          heading: `${sla.feedbackWorkingDays} 个工作日内处理反馈`,
          lines: ['并将处理结果告知客户'],
          clause: '7.2',
          kind: 'step',
        },
        {
          id: 'warranty',
          heading: `保修期 ${sla.warrantyMonths} 个月`,
          lines: ['自商品交付之日起计算'],
          clause: '8.1.2',
          kind: 'step',
        },
        {
          id: 'missed',
          heading: '未按时履行承诺',
          lines: ['记录违约，逐级通知管理人员直至处理：', levels, '客户可依约主张违约金'],
          clause: '6.1.2、6.2.1、7.2.1、10.1.1',
          kind: 'promise-missed',
        },
      ]
    : [
        {
          id: 'request',
          heading: 'The customer makes a request',
          lines: ['through an official channel: phone, website, online shop'],
          clause: '6.1.1',
          kind: 'step',
        },
        {
          id: 'respond',
          heading: `Response within ${h(sla.responseHours)}`,
          lines: ['the need is confirmed with the customer'],
          clause: '6.1.2',
          kind: 'step',
        },
        {
          id: 'dispatch',
          heading: 'Qualified staff assigned',
          lines: ['on site or remote service'],
          clause: '6.1.3, 6.2.1',
          kind: 'step',
        },
        {
          id: 'complete',
          heading: 'Completed within the agreed time',
          lines: [...perKind, 'the service record is handed over'],
          clause: '6.1.4, 6.2.1',
          kind: 'step',
        },
        {
          id: 'survey',
          heading: 'Satisfaction survey',
          lines: ['the customer rates the service and the goods'],
          clause: '7.1',
          kind: 'step',
        },
        {
          id: 'feedback',
          heading: `Feedback handled within ${sla.feedbackWorkingDays} working days`,
          lines: ['and the result told to the customer'],
          clause: '7.2',
          kind: 'step',
        },
        {
          id: 'warranty',
          heading: `Warranty of ${sla.warrantyMonths} months`,
          lines: ['from the delivery of the goods'],
          clause: '8.1.2',
          kind: 'step',
        },
        {
          id: 'missed',
          heading: 'A promise not kept in time',
          lines: [
            'the breach is recorded; managers are told, level by level, until someone acts:',
            levels,
            'the customer may claim liquidated damages',
          ],
          clause: '6.1.2, 6.2.1, 7.2.1, 10.1.1',
          kind: 'promise-missed',
        },
      ];
  const late = zh ? '超时' : 'late';
  return {
    title: zh ? '售后服务流程图' : 'After-sales service flow chart',
    translationNote: zh
      ? undefined
      : 'English translation. The Chinese text is the official version (clause 14.2).',
    boxes,
    arrows: [
      { from: 'request', to: 'respond' },
      { from: 'respond', to: 'dispatch' },
      { from: 'dispatch', to: 'complete' },
      { from: 'complete', to: 'survey' },
      { from: 'survey', to: 'feedback' },
      { from: 'complete', to: 'warranty' },
      {
        from: 'warranty',
        to: 'request',
        label: zh ? '保修期内再次申请' : 'a new request under warranty',
        dashed: true,
      },
      { from: 'respond', to: 'missed', label: late, dashed: true },
      { from: 'complete', to: 'missed', label: late, dashed: true },
      { from: 'feedback', to: 'missed', label: late, dashed: true },
    ],
  };
}
