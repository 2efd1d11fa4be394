import { describe, expect, it } from 'vitest';
import { surveyForm } from '../../domain/survey.ts';
import { surveyPage } from '../../functions/survey-page/page.ts';
import { workflowCatalog } from '../../workflows/catalog.ts';
import { flowChart } from '../../workflows/flow-chart.ts';

describe('contract attachments from the live configuration (11.2)', () => {
  it('draws every state and transition of each workflow in the service flow chart', () => {
    for (const { definition } of Object.values(workflowCatalog)) {
      const chart = flowChart(definition);
      expect(chart.startsWith('flowchart TD')).toBe(true);
      for (const name of Object.keys(definition.States)) expect(chart).toContain(`"${name}"`);
      const arrows = chart.split('\n').filter((line) => line.includes('-->') || line.includes('.->')).length;
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

  it('prints the survey form with every question and no submit form', () => {
    for (const language of ['zh-CN', 'en'] as const) {
      const printable = surveyPage(language, { printable: true });
      for (const question of surveyForm.questions) expect(printable).toContain(question.label[language]);
      expect(printable).not.toContain('<form');
    }
  });
});
