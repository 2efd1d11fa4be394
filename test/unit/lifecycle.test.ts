import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minutesLate } from '#domain/breach.ts';
import {
  dueEscalations,
  type EscalationLadder,
  type EscalationPolicy,
  escalationLadderSchema,
  escalationSchedule,
  keysTakenWith,
  LOOK_AGAIN_SECONDS,
} from '#domain/escalation-ladder.ts';
import { feedbackRoute } from '#domain/feedback-case.ts';
import { type LifecycleState, route, watchedDeadlines } from '#domain/lifecycle.ts';
import type { WorkingCalendar } from '#domain/working-calendar.ts';

const ladder: EscalationLadder = {
  levels: [
    { name: 'Team lead', recipients: ['lead@x.example'], delayMinutes: 0 },
    { name: 'Head of service', recipients: ['head@x.example'], delayMinutes: 120 },
  ],
  approachingWarningFraction: 0.75,
};
const calendar: WorkingCalendar = {
  timeZone: 'Asia/Shanghai',
  weekendDays: [0, 6],
  chinaPublicHolidays: true,
  closures: [],
  extraWorkingDays: [],
};
const policy: EscalationPolicy = { ladder, calendar };

/** Received Monday 2 March 2026, 09:00 in Shanghai. */
const received: LifecycleState = {
  status: 'received',
  receivedAt: '2026-03-02T01:00:00.000Z',
  terms: { responseHours: 2, completionHours: 72 },
  escalationsTaken: [],
  confirmationSent: false,
  serviceRecordDelivered: false,
};

const at = (iso: string) => new Date(iso);
const cst = (local: string) => new Date(`${local}+08:00`);
const taken = (...keys: string[]) => ({ ...received, escalationsTaken: keys });

describe('route: where a request stands', () => {
  it('waits for the time left to the 2-hour response deadline, counted from receipt (a 90-minute-old request waits 30 minutes, to the first second past it)', () => {
    expect(route(received, policy, at('2026-03-02T02:30:00.000Z'))).toEqual({
      phase: 'awaitAcknowledgement',
      waitSeconds: 1801,
    });
  });

  it('counts a response at exactly 2 hours as on time: the deadline passes only at the instant after', () => {
    expect(route(received, policy, at('2026-03-02T03:00:00.000Z'))).toEqual({
      phase: 'awaitAcknowledgement',
      waitSeconds: 1,
    });
    expect(route(received, policy, at('2026-03-02T03:00:00.001Z')).phase).toBe('escalate');
    // A breach is at least a minute late, never "0 minutes late".
    expect(minutesLate({ deadline: '2026-03-02T03:00:00.000Z' }, at('2026-03-02T03:00:01.000Z'))).toBe(1);
  });

  it('records the breach and tells level 1 together once the deadline has passed, then waits for level 2', () => {
    const due = dueEscalations(watchedDeadlines(received), policy, received, at('2026-03-02T03:00:01.000Z'));
    expect(due.map((step) => step.key)).toEqual(['response#breach', 'response#1']);
    expect(route(taken('response#breach', 'response#1'), policy, at('2026-03-02T03:00:01.000Z'))).toEqual({
      phase: 'awaitAcknowledgement',
      waitSeconds: 7200,
    });
  });

  it('records a breach at the deadline even when the first level waits: the ladder’s delay is not the contract’s', () => {
    const lateLadder: EscalationPolicy = {
      ladder: { levels: [{ name: 'Lead', recipients: ['l@x.example'], delayMinutes: 30 }] },
      calendar,
    };
    const due = dueEscalations(
      watchedDeadlines(received),
      lateLadder,
      received,
      at('2026-03-02T03:00:01.000Z'),
    );
    expect(due.map((step) => step.key)).toEqual(['response#breach']);
  });

  it('watches completion from receipt even when nobody ever responds', () => {
    const everyResponseStepTaken = taken(
      'response#breach',
      'response#1',
      'response#2',
      'reminder#2026-03-02',
      'reminder#2026-03-03',
      'reminder#2026-03-04',
    );
    const due = dueEscalations(
      watchedDeadlines(everyResponseStepTaken),
      policy,
      everyResponseStepTaken,
      at('2026-03-05T01:00:01.000Z'),
    );
    expect(due.map((step) => step.key)).toEqual(['completion#breach', 'completion#1', 'reminder#2026-03-05']);
  });

  it('reminds the top of the ladder every working morning (not at night, not at weekends) while the promise stays broken', () => {
    // Head of service told at 11:00 Monday; today's reminder is marked with it.
    const top = dueEscalations(
      watchedDeadlines(received),
      policy,
      taken('response#breach', 'response#1'),
      cst('2026-03-02T13:00:01'),
    )[0]!;
    expect(top.key).toBe('response#2');
    const markedWithTop = keysTakenWith(top, policy, cst('2026-03-02T13:00:01'));
    expect(markedWithTop).toEqual(['response#2', 'reminder#2026-03-02']);
    const atTop = taken('response#breach', 'response#1', ...markedWithTop);

    // Next: Tuesday 09:00 Shanghai, not 05:00 and not an hour after the top level heard.
    expect(route(atTop, policy, cst('2026-03-02T13:00:01'))).toEqual({
      phase: 'awaitAcknowledgement',
      waitSeconds: (20 * 3600 - 1) as number,
    });
    expect(dueEscalations(watchedDeadlines(atTop), policy, atTop, cst('2026-03-03T08:59:59'))).toEqual([]);
    const tuesday = dueEscalations(watchedDeadlines(atTop), policy, atTop, cst('2026-03-03T09:00:00'));
    expect(tuesday.map((step) => [step.key, step.kind, step.level])).toEqual([
      ['reminder#2026-03-03', 'reminder', 2],
    ]);

    // Friday's reminder taken (the completion deadline on Thursday went up the ladder too): the
    // next is Monday's, across the weekend.
    const friday = {
      ...atTop,
      escalationsTaken: [
        ...atTop.escalationsTaken,
        'completion#breach',
        'completion#1',
        'completion#2',
        'reminder#2026-03-06',
      ],
    };
    expect(route(friday, policy, cst('2026-03-06T09:00:05')).waitSeconds).toBe(3 * 24 * 3600 - 5);
  });

  it('after an outage, reminds the top level once for the latest morning, not once per missed day', () => {
    const atTop = taken('response#breach', 'response#1', 'response#2', 'reminder#2026-03-02');
    const due = dueEscalations(watchedDeadlines(atTop), policy, atTop, cst('2026-03-12T15:00:00'));
    expect(due.map((step) => step.key)).toEqual([
      'completion#breach',
      'completion#1',
      'completion#2',
      'reminder#2026-03-12',
    ]);
  });

  it('never waits longer than a look-again interval, whatever the contract’s hours (a 720-hour response)', () => {
    const slow = { ...received, terms: { responseHours: 720, completionHours: 8760 } };
    expect(route(slow, policy, at(received.receivedAt))).toEqual({
      phase: 'awaitAcknowledgement',
      waitSeconds: LOOK_AGAIN_SECONDS,
    });
    expect(LOOK_AGAIN_SECONDS * 1000).toBeLessThan(2 ** 31 - 1);
  });

  it('warns the assignee at 75% of the window, but only when there is an assignee', () => {
    expect(route({ ...received, assigneeId: 'a' }, policy, at('2026-03-02T01:00:00.000Z'))).toEqual({
      phase: 'awaitAcknowledgement',
      waitSeconds: 5400,
    });
    expect(route(received, policy, at('2026-03-02T01:00:00.000Z'))).toEqual({
      phase: 'awaitAcknowledgement',
      waitSeconds: 7201,
    });
  });

  it('sends a warning that falls at night at the start of working hours, if that is still before the deadline', () => {
    // A feedback case received Friday 17:00: due at the end of the next Friday; 75% falls on Thursday 05:00.
    const feedback = {
      status: 'open' as const,
      receivedAt: cst('2026-03-06T17:00:00').toISOString(),
      dueAt: cst('2026-03-14T00:00:00').toISOString(),
      assigneeId: 'lead',
      escalationsTaken: [],
      resultSent: false,
    };
    const [warning] = escalationSchedule(
      { promise: 'feedback', windowStart: new Date(feedback.receivedAt), deadline: new Date(feedback.dueAt) },
      policy,
      { hasAssignee: true },
    );
    expect(warning).toMatchObject({ kind: 'warning', at: cst('2026-03-12T09:00:00') });
    expect(feedbackRoute(feedback, policy, cst('2026-03-12T08:00:00'))).toEqual({
      phase: 'awaitResolution',
      waitSeconds: 3600,
    });
  });

  it('confirms the need before watching the completion deadline, then delivers the record and closes', () => {
    const acknowledged = { ...received, status: 'acknowledged' as const };
    expect(route(acknowledged, policy, at('2026-03-02T01:30:00.000Z')).phase).toBe('confirmNeed');
    expect(
      route({ ...acknowledged, confirmationSent: true }, policy, at('2026-03-02T01:00:00.000Z')),
    ).toEqual({
      phase: 'awaitCompletion',
      waitSeconds: 72 * 3600 + 1,
    });
    expect(route({ ...received, status: 'completed' }, policy, at('2026-03-02T01:00:00.000Z')).phase).toBe(
      'deliverServiceRecord',
    );
    expect(
      route(
        { ...received, status: 'completed', serviceRecordDelivered: true },
        policy,
        at('2026-03-02T01:00:00.000Z'),
      ).phase,
    ).toBe('close');
    expect(route({ ...received, status: 'cancelled' }, policy, at('2026-03-02T01:00:00.000Z')).phase).toBe(
      'end',
    );
  });

  it('tells a customer of a cancellation only when they were told the need is confirmed, once, and never while their data is erased', () => {
    const cancelled = { ...received, status: 'cancelled' as const };
    const now = at('2026-03-02T01:00:00.000Z');
    expect(route({ ...cancelled, confirmationClaimed: true }, policy, now).phase).toBe('tellCancellation');
    expect(route({ ...cancelled, confirmationClaimed: false }, policy, now).phase).toBe('end');
    expect(
      route({ ...cancelled, confirmationClaimed: true, cancellationTold: true }, policy, now).phase,
    ).toBe('end');
    expect(
      route({ ...cancelled, confirmationClaimed: true, cancelledQuietly: true }, policy, now).phase,
    ).toBe('end');
    expect(route({ ...cancelled, confirmationClaimed: true, customerPending: true }, policy, now).phase).toBe(
      'end',
    );
    expect(route({ ...received, status: 'closed', confirmationClaimed: true }, policy, now).phase).toBe(
      'end',
    );
  });

  it('never waits past the next untaken escalation step, nor less than a second, nor more than a week', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 * 3600 }),
        fc.subarray(['response#0', 'response#breach', 'response#1', 'response#2', 'completion#breach']),
        fc.boolean(),
        (elapsedSeconds, takenKeys, hasAssignee) => {
          const state = {
            ...received,
            escalationsTaken: takenKeys,
            assigneeId: hasAssignee ? 'a' : undefined,
          };
          const now = new Date(Date.parse(received.receivedAt) + elapsedSeconds * 1000);
          const next = route(state, policy, now);
          const upcoming = watchedDeadlines(state)
            .flatMap((w) => escalationSchedule(w, policy, { hasAssignee }))
            .filter((step) => !takenKeys.includes(step.key))
            .sort((a, b) => a.at.getTime() - b.at.getTime());
          if (next.phase === 'escalate') {
            expect(dueEscalations(watchedDeadlines(state), policy, state, now).length).toBeGreaterThan(0);
          } else {
            expect(next.waitSeconds).toBeGreaterThanOrEqual(1);
            expect(next.waitSeconds).toBeLessThanOrEqual(LOOK_AGAIN_SECONDS);
            const first = upcoming[0];
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
