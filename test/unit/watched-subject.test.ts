import { describe, expect, it } from 'vitest';
import {
  ABANDON_AFTER_SECONDS,
  afterRestart,
  isAbandoned,
  nextLookSeconds,
  wakeUpAt,
} from '#domain/watched-subject.ts';
import { feedbackCaseDefinition } from '#workflows/feedback-case/definition.ts';
import { serviceRequestDefinition } from '#workflows/service-request/definition.ts';
import { PARK_STATE } from '#workflows/watched-subject.ts';

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

describe('the reconciler’s patience with a lifecycle it restarts', () => {
  const at = new Date('2026-03-02T01:00:00.000Z');
  const hoursLater = (hours: number) => new Date(at.getTime() + hours * 3600_000);
  const GRACE = 120;

  it('counts restarts over a day, whether or not the subject parked between them', () => {
    const first = afterRestart({}, at);
    expect(first).toEqual({ restarts: 1, since: at.toISOString() });
    expect(afterRestart(first, hoursLater(23))).toEqual({ restarts: 2, since: at.toISOString() });
    // A day later, a new window.
    expect(afterRestart({ restarts: 9, since: at.toISOString() }, hoursLater(24))).toEqual({
      restarts: 1,
      since: hoursLater(24).toISOString(),
    });
  });

  it('looks again at the next pass while something is due now: a late promise is never left waiting', () => {
    for (const restarts of [1, 5, 50]) expect(nextLookSeconds(restarts, 0, GRACE)).toBe(GRACE);
  });

  it('backs off while nothing is due (5, 10, 20, 40 minutes, then hourly), never past the next deadline', () => {
    const far = 10 * 86_400;
    expect([1, 2, 3, 4, 5, 6, 30].map((n) => nextLookSeconds(n, far, GRACE) / 60)).toEqual([
      5, 10, 20, 40, 60, 60, 60,
    ]);
    // The escalation due in 7 minutes is not slept through.
    expect(nextLookSeconds(6, 7 * 60, GRACE)).toBe(7 * 60);
    expect(nextLookSeconds(6, 30, GRACE)).toBe(GRACE);
  });

  it('declares a lifecycle abandoned only after five restarts spread over hours', () => {
    const since = at.toISOString();
    expect(isAbandoned({ restarts: 40, since }, hoursLater(2.9))).toBe(false);
    expect(isAbandoned({ restarts: 4, since }, hoursLater(20))).toBe(false);
    expect(isAbandoned({ restarts: 5, since }, new Date(at.getTime() + ABANDON_AFTER_SECONDS * 1000))).toBe(
      true,
    );
  });
});
