import { describe, expect, it } from 'vitest';
import { wakeUpAt } from '../../domain/watched-subject.ts';
import { feedbackCaseDefinition } from '../../workflows/feedback-case/definition.ts';
import { serviceRequestDefinition } from '../../workflows/service-request/definition.ts';
import { PARK_STATE } from '../../workflows/watched-subject.ts';

describe('when a parked subject wakes', () => {
  const at = new Date('2026-03-02T01:00:00.250Z');

  it('is never before what it waits for: whole seconds, rounded up', () => {
    expect(wakeUpAt(at, 7200).toISOString()).toBe('2026-03-02T03:00:01.000Z');
    expect(wakeUpAt(new Date('2026-03-02T01:00:00.000Z'), 7201).toISOString()).toBe(
      '2026-03-02T03:00:01.000Z',
    );
  });

  it('is at least a second away, so a schedule is never created in the past', () => {
    expect(wakeUpAt(at, 0).toISOString()).toBe('2026-03-02T01:00:02.000Z');
  });
});

describe('the watched-subject workflows', () => {
  for (const [name, definition, waits] of [
    [
      'service request',
      serviceRequestDefinition,
      ['awaitAcknowledgement', 'awaitCompletion', 'awaitCustomerDetails', 'awaitSurvey'],
    ],
    ['feedback case', feedbackCaseDefinition, ['awaitResolution']],
  ] as const) {
    it(`${name}: parks on every wait and at the end, and every action routes again`, () => {
      const route = definition.States['Route by phase'] as {
        Choices: { StringEquals: string; Next: string }[];
      };
      const next = Object.fromEntries(route.Choices.map((choice) => [choice.StringEquals, choice.Next]));
      for (const phase of [...waits, 'end']) expect(next[phase], phase).toBe(PARK_STATE);
      expect(next.superseded).toBe('Superseded');
      for (const [phase, state] of Object.entries(next)) {
        if (state === PARK_STATE || state === 'Superseded') continue;
        expect((definition.States[state] as { Next?: string }).Next, phase).toBe('Route by phase');
      }
      expect((definition.States[PARK_STATE] as { End?: boolean }).End).toBe(true);
    });
  }
});
