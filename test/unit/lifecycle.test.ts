import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type EscalationLadder,
  escalationLadderSchema,
  escalationSchedule,
  WAIT_WITHOUT_ESCALATION_SECONDS,
} from '../../domain/escalation-ladder.ts';
import { type LifecycleState, route } from '../../domain/lifecycle.ts';

const ladder: EscalationLadder = {
  levels: [
    { name: 'Team lead', recipients: ['lead@x.example'], delayMinutes: 0 },
    { name: 'Head of service', recipients: ['head@x.example'], delayMinutes: 120 },
  ],
  approachingWarningFraction: 0.75,
};

const received: LifecycleState = {
  status: 'received',
  receivedAt: '2026-03-02T01:00:00.000Z',
  terms: { responseHours: 2, completionHours: 72 },
  escalationsTaken: [],
  confirmationSent: false,
  serviceRecordDelivered: false,
};

const at = (iso: string) => new Date(iso);

describe('route: where a request stands', () => {
  it('waits for the time left to the 2-hour response deadline, counted from receipt (a 90-minute-old request waits 30 minutes)', () => {
    expect(route(received, ladder, at('2026-03-02T02:30:00.000Z'))).toEqual({
      phase: 'awaitAcknowledgement',
      waitSeconds: 1800,
    });
  });

  it('escalates once the deadline has passed, then waits for the next level', () => {
    expect(route(received, ladder, at('2026-03-02T03:00:00.000Z')).phase).toBe('escalate');
    const afterLevel1 = { ...received, escalationsTaken: ['response#1'] };
    expect(route(afterLevel1, ladder, at('2026-03-02T03:00:00.000Z'))).toEqual({
      phase: 'awaitAcknowledgement',
      waitSeconds: 7200,
    });
  });

  it('stops escalating at the top of the ladder and only looks again weekly', () => {
    const top = { ...received, escalationsTaken: ['response#1', 'response#2'] };
    expect(route(top, ladder, at('2026-03-09T00:00:00.000Z'))).toEqual({
      phase: 'awaitAcknowledgement',
      waitSeconds: WAIT_WITHOUT_ESCALATION_SECONDS,
    });
  });

  it('warns the assignee at 75% of the window, but only when there is an assignee', () => {
    expect(route({ ...received, assigneeId: 'a' }, ladder, at('2026-03-02T01:00:00.000Z'))).toEqual({
      phase: 'awaitAcknowledgement',
      waitSeconds: 5400,
    });
    expect(route(received, ladder, at('2026-03-02T01:00:00.000Z'))).toEqual({
      phase: 'awaitAcknowledgement',
      waitSeconds: 7200,
    });
  });

  it('confirms the need before watching the completion deadline, then delivers the record and closes', () => {
    const acknowledged = { ...received, status: 'acknowledged' as const };
    expect(route(acknowledged, ladder, at('2026-03-02T01:30:00.000Z')).phase).toBe('confirmNeed');
    expect(
      route({ ...acknowledged, confirmationSent: true }, ladder, at('2026-03-02T01:00:00.000Z')),
    ).toEqual({ phase: 'awaitCompletion', waitSeconds: 72 * 3600 });
    expect(route({ ...received, status: 'completed' }, ladder, at('2026-03-02T01:00:00.000Z')).phase).toBe(
      'deliverServiceRecord',
    );
    expect(
      route(
        { ...received, status: 'completed', serviceRecordDelivered: true },
        ladder,
        at('2026-03-02T01:00:00.000Z'),
      ).phase,
    ).toBe('close');
    expect(route({ ...received, status: 'cancelled' }, ladder, at('2026-03-02T01:00:00.000Z')).phase).toBe(
      'end',
    );
  });

  it('never waits past the next untaken escalation step, and always at least a second', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 * 3600 }),
        fc.subarray(['response#0', 'response#1', 'response#2']),
        fc.boolean(),
        (elapsedSeconds, taken, hasAssignee) => {
          const state = { ...received, escalationsTaken: taken, assigneeId: hasAssignee ? 'a' : undefined };
          const now = new Date(Date.parse(received.receivedAt) + elapsedSeconds * 1000);
          const next = route(state, ladder, now);
          const schedule = escalationSchedule(
            {
              promise: 'response',
              windowStart: at(received.receivedAt),
              deadline: at('2026-03-02T03:00:00.000Z'),
            },
            ladder,
            { hasAssignee },
          ).filter((step) => !taken.includes(step.key));
          if (next.phase === 'escalate') {
            expect(schedule.some((step) => step.at <= now)).toBe(true);
          } else {
            expect(next.waitSeconds).toBeGreaterThanOrEqual(1);
            const first = schedule[0];
            if (first)
              expect(now.getTime() + next.waitSeconds * 1000 - first.at.getTime()).toBeLessThan(1000);
          }
        },
      ),
    );
  });
});

describe('escalation ladder', () => {
  it('requires each level to come strictly later than the one below', () => {
    const result = escalationLadderSchema.safeParse({
      levels: [
        { name: 'A', recipients: ['a@x.example'], delayMinutes: 60 },
        { name: 'B', recipients: ['b@x.example'], delayMinutes: 60 },
      ],
    });
    expect(result.success).toBe(false);
  });
});
