import { describe, expect, it } from 'vitest';
import { defaultSlaTerms } from '../../domain/contract.ts';
import { hoursText, serviceFlow } from '../../domain/service-flow.ts';
import { surveyForm } from '../../domain/survey.ts';
import { printableSurveyForm } from '../../functions/survey-page/page.ts';
import { workflowCatalog } from '../../workflows/catalog.ts';
import { workflowDot } from '../../workflows/flow-chart.ts';

const ladder = {
  levels: [
    { name: '团队负责人', recipients: ['lead@x.example'], delayMinutes: 0 },
    { name: '服务主管', recipients: ['head@x.example'], delayMinutes: 120 },
  ],
  approachingWarningFraction: 0.75,
};

describe('the service flow chart, in the contract’s words and figures (11.2)', () => {
  it('states the contract version’s own figures, in Chinese: an amendment to the response hours changes the chart', () => {
    const chart = serviceFlow({ sla: defaultSlaTerms, ladder, language: 'zh-CN' });
    const text = JSON.stringify(chart);
    expect(chart.boxes.map((b) => b.heading)).toEqual([
      '客户提出服务请求',
      '2 小时内响应',
      '安排具备资质的人员',
      '在约定时限内完成服务',
      '满意度调查',
      '5 个工作日内处理反馈',
      '保修期 12 个月',
      '未按时履行承诺',
    ]);
    expect(text).toContain('维修 72 小时');
    expect(text).toContain('团队负责人 → 服务主管（再过 120 分钟）');
    expect(chart.translationNote).toBeUndefined();
    // No technical state names: this is what a customer signs.
    expect(text).not.toMatch(/States\.|awaitAcknowledgement|Route by phase|Resume/);

    const amended = serviceFlow({
      sla: { ...defaultSlaTerms, responseHours: 4, feedbackWorkingDays: 3 },
      ladder,
      language: 'zh-CN',
    });
    expect(amended.boxes[1]!.heading).toBe('4 小时内响应');
    expect(amended.boxes[5]!.heading).toBe('3 个工作日内处理反馈');
  });

  it('is a marked translation in English', () => {
    const chart = serviceFlow({ sla: defaultSlaTerms, ladder, language: 'en' });
    expect(chart.boxes[1]!.heading).toBe('Response within 2 hours');
    expect(chart.translationNote).toMatch(/Chinese text is the official version/);
  });

  it('writes hours as the contract does: whole hours, or minutes', () => {
    expect([
      hoursText(2, 'zh-CN'),
      hoursText(0.5, 'zh-CN'),
      hoursText(1, 'en'),
      hoursText(1.5, 'en'),
    ]).toEqual(['2 小时', '30 分钟', '1 hour', '90 minutes']);
  });
});

describe('the technical diagrams, for operators', () => {
  it('draws every state and transition of each deployed workflow', () => {
    for (const { definition } of Object.values(workflowCatalog)) {
      const dot = workflowDot(definition);
      for (const name of Object.keys(definition.States)) expect(dot).toContain(`label="${name}"`);
      const arrows = dot.split('\n').filter((line) => line.includes(' -> ')).length;
      const transitions = Object.values(definition.States).reduce((count, state) => {
        if (state.Type === 'Choice') return count + state.Choices.length + (state.Default ? 1 : 0);
        const next = 'Next' in state && state.Next ? 1 : 0;
        const end = 'End' in state && state.End ? 1 : 0;
        const caught = 'Catch' in state && state.Catch ? state.Catch.length : 0;
        return count + next + end + caught;
      }, 1);
      expect(arrows).toBe(transitions);
    }
  });
});

describe('the printable survey form', () => {
  it('has every question, its scale drawn, and no controls', () => {
    for (const language of ['zh-CN', 'en'] as const) {
      const printable = printableSurveyForm(language).body;
      for (const question of surveyForm.questions) expect(printable).toContain(question.label[language]);
      expect(printable).not.toContain('<form');
      expect(printable).not.toContain('<input');
    }
  });
});
