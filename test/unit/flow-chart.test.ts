import { describe, expect, it } from 'vitest';
import { defaultSlaTerms } from '#domain/contract.ts';
import { hoursText, serviceFlow } from '#domain/service-flow.ts';
import { surveyForm } from '#domain/survey.ts';
import { serviceFlowLayout, serviceFlowSvg, wrap } from '#functions/flow-charts/service-flow-svg.ts';
import { printableSurveyForm } from '#functions/survey-page/page.ts';
import { workflowCatalog } from '#workflows/catalog.ts';
import { workflowDot } from '#workflows/flow-chart.ts';

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

describe('the flow chart drawn', () => {
  const longLadder = {
    ...ladder,
    levels: ['一线主管', '区域经理', '服务总监', '副总经理', '总经理'].map((name, i) => ({
      name,
      recipients: [`l${i}@x.example`],
      delayMinutes: i * 60,
    })),
  };
  const charts = (['zh-CN', 'en'] as const).flatMap((language) =>
    [ladder, longLadder].map((l) => serviceFlow({ sla: defaultSlaTerms, ladder: l, language })),
  );

  it('places the eight boxes apart and every arrow from the edge of one box to the edge of another', () => {
    for (const chart of charts) {
      const { boxes, routes } = serviceFlowLayout(chart);
      expect(boxes.map((b) => b.box.id).sort()).toEqual(chart.boxes.map((b) => b.id).sort());
      const overlaps = boxes.flatMap((a, i) =>
        boxes
          .slice(i + 1)
          .filter(
            (b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height,
          )
          .map((b) => `${a.box.id}/${b.box.id}`),
      );
      expect(overlaps).toEqual([]);
      const onEdge = ([x, y]: [number, number], id: string) => {
        const b = boxes.find((box) => box.box.id === id)!;
        const inside =
          x >= b.x - 0.01 && x <= b.x + b.width + 0.01 && y >= b.y - 0.01 && y <= b.y + b.height + 0.01;
        const onBorder =
          [b.x, b.x + b.width].some((v) => Math.abs(v - x) < 0.01) ||
          [b.y, b.y + b.height].some((v) => Math.abs(v - y) < 0.01);
        return inside && onBorder;
      };
      for (const arrow of chart.arrows) {
        const points = routes[`${arrow.from}>${arrow.to}`]!;
        expect(onEdge(points[0]!, arrow.from), `${arrow.from}→${arrow.to} starts on its box`).toBe(true);
        expect(onEdge(points.at(-1)!, arrow.to), `${arrow.from}→${arrow.to} ends on its box`).toBe(true);
        // No leg runs through a box (each leg is horizontal or vertical).
        for (let i = 1; i < points.length; i++) {
          const [[x1, y1], [x2, y2]] = [points[i - 1]!, points[i]!];
          expect(x1 === x2 || y1 === y2).toBe(true);
          for (const b of boxes) {
            const crosses =
              Math.max(x1, x2) > b.x + 0.5 &&
              Math.min(x1, x2) < b.x + b.width - 0.5 &&
              Math.max(y1, y2) > b.y + 0.5 &&
              Math.min(y1, y2) < b.y + b.height - 0.5;
            expect(crosses, `${arrow.from}→${arrow.to} crosses ${b.box.id}`).toBe(false);
          }
        }
      }
    }
  });

  it('wraps long lines between words, or between Chinese characters, and keeps every word', () => {
    const english = 'the breach is recorded; managers are told, level by level, until someone acts:';
    const lines = wrap(english, 12, 200);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(' ')).toBe(english);
    const chinese = '记录违约，逐级通知管理人员直至处理，客户可依约主张违约金，并保留相关证据';
    const wrapped = wrap(chinese, 12, 120);
    expect(wrapped.join('')).toBe(chinese);
    for (const line of wrapped) expect([...line].length).toBeLessThanOrEqual(10);
  });

  it('is one SVG element holding every box and its words, with the figures of the contract', () => {
    const svg = serviceFlowSvg(charts[1]!);
    expect(svg.match(/<g class="node"/g)).toHaveLength(8);
    expect(svg.match(/<g class="edge"/g)).toHaveLength(10);
    expect(svg).toContain('区域经理');
    expect(svg).toContain('2 小时内响应');
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
