import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPublishedArrangement } from '#domain/china-holidays.ts';
import { parseHolidayNotice } from '#domain/holiday-notice.ts';
import { emailsAbout, recipients } from '#local/driver/lifecycle.ts';
import { invokeFunction } from '#local/lambda.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * Feedback received at the end of 2026, while 2027's holiday arrangement is not published: the
 * due date is the law's estimate and says so; once the arrangement arrives (here a made-up
 * notice standing in for a deploy that brings the real one), the daily run settles the exact
 * due date and the case escalates on it, not on the estimate.
 */
const STAND_IN_NOTICE = `国务院办公厅关于2027年部分节假日安排的通知（测试用，非真实通知）
一、元旦：1月1日（周五）放假，共1天。1月3日（周日）上班。`;

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime({ startAt: new Date('2026-12-28T02:00:00.000Z') }); // Mon 10:00 in Shanghai
});
afterAll(async () => {
  await runtime.dispose();
});

describe('a feedback deadline that depends on an unpublished holiday arrangement', () => {
  it('is marked an estimate, then confirmed by the daily run once published, and escalates on the exact date', async () => {
    const created = await runtime.api('POST', '/v1/feedback', {
      category: 'complaint',
      customer: { name: 'Wu Fang', email: 'wu.fang@customer.example' },
      content: 'Nobody called back about the broken hinge',
    });
    expect(created.status).toBe(201);
    const { feedbackId } = created.body;
    // Tue 29, Wed 30, Thu 31 Dec, [Fri 1 Jan by law, weekend], Mon 4, Tue 5 Jan ⇒ end of Tue 5 Jan.
    expect(created.body).toMatchObject({ dueAt: '2027-01-05T16:00:00.000Z', dueConfirmed: false });

    // The daily run tells the operators (a log line Observability alarms on) what is missing.
    expect(await invokeFunction('campaigns', { tenantId: runtime.demo.tenantId })).toMatchObject({
      feedbackDeadlinesConfirmed: 0,
      holidayArrangementsMissing: [2027],
    });

    addPublishedArrangement(parseHolidayNotice(STAND_IN_NOTICE));
    await runtime.advance(22 * 3600); // to midnight UTC: the daily run
    const confirmed = (await runtime.api('GET', `/v1/feedback/${feedbackId}`)).body;
    // Sunday 3 January is now a working day: the fifth working day is Monday 4 January.
    expect(confirmed).toMatchObject({ dueAt: '2027-01-04T16:00:00.000Z', dueConfirmed: true });
    expect(confirmed.timeline.filter((e: { type: string }) => e.type === 'due_confirmed')).toEqual([
      {
        at: '2026-12-29T00:00:00.000Z',
        type: 'due_confirmed',
        actor: 'system',
        details: { estimatedDueAt: '2027-01-05T16:00:00.000Z', dueAt: '2027-01-04T16:00:00.000Z' },
      },
    ]);

    // Escalated the second the exact deadline has passed (the owner's warning came before).
    const escalations = async () =>
      emailsAbout(await runtime.mailbox(), feedbackId).filter((e) => e.subject.startsWith('[升级'));
    await runtime.advance((Date.parse('2027-01-04T16:00:00.000Z') - Date.now()) / 1000);
    expect(await escalations()).toEqual([]);
    await runtime.advance(1);
    expect(recipients(await escalations())).toEqual(['team-lead@demo.example']);

    expect(await invokeFunction('campaigns', { tenantId: runtime.demo.tenantId })).toMatchObject({
      feedbackDeadlinesConfirmed: 0,
      holidayArrangementsMissing: [],
    });
    const later = (await runtime.api('GET', `/v1/feedback/${feedbackId}`)).body;
    expect(later.timeline.filter((e: { type: string }) => e.type === 'due_confirmed')).toHaveLength(1);
    expect(later.breaches).toMatchObject([
      { promise: 'feedback', deadline: '2027-01-04T16:00:00.000Z', open: true },
    ]);
  });
});
