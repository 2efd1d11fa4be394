import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailsAbout, linkIn, recipients, repairRequest } from '#local/driver/lifecycle.ts';
import { send, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * Feedback within 5 working days (7.2.1) on the virtual clock, across National Day 2025:
 * 1–8 October off, 28 September (Sunday) and 11 October (Saturday) are make-up working days.
 */
let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime({ startAt: new Date('2025-09-26T07:00:00.000Z') }); // Fri 15:00 in Shanghai
});
afterAll(async () => {
  await runtime.dispose();
});

const complaint = {
  category: 'complaint',
  customer: { name: 'Zhou Jie', email: 'zhou.jie@customer.example' },
  content: 'The technician arrived two hours late',
};

describe('feedback cases', () => {
  it('falls due after 5 working days across a holiday and a make-up day, and escalates exactly then', async () => {
    const created = await runtime.api('POST', '/v1/feedback', complaint);
    expect(created.status).toBe(201);
    const { feedbackId, dueAt } = created.body;
    // Sun 28 Sep (make-up), Mon 29, Tue 30, [1–8 Oct], Thu 9, Fri 10 ⇒ due at 00:00 on Sat 11 Oct, Shanghai time.
    expect(dueAt).toBe('2025-10-10T16:00:00.000Z');
    expect(created.body.dueConfirmed).toBe(true);
    // Nobody was named: the feedback owner (the first escalation level's team lead) answers for it.
    expect(created.body.assigneeId).toBe('lead-chen');

    // Warned at 75% of the window, which falls in the holiday, so at 09:00 of the next working day.
    await runtime.advance((Date.parse('2025-10-09T01:00:00.000Z') - Date.now()) / 1000 - 1);
    expect(emailsAbout(await runtime.mailbox(), feedbackId)).toEqual([]);
    await runtime.advance(1);
    const warning = emailsAbout(await runtime.mailbox(), feedbackId);
    expect(recipients(warning)).toEqual(['team-lead@demo.example']);
    expect(warning[0]!.subject).toContain('[即将超时]');

    // On time means on or before the deadline: the escalation comes the second after it.
    await runtime.advance((Date.parse(dueAt) - Date.now()) / 1000);
    expect(emailsAbout(await runtime.mailbox(), feedbackId)).toHaveLength(1);
    await runtime.advance(1);
    const escalation = emailsAbout(await runtime.mailbox(), feedbackId).slice(1);
    expect(recipients(escalation)).toEqual(['team-lead@demo.example']);
    expect(escalation[0]!.body.text).toContain('5 个工作日内处理反馈并告知结果');
    expect(escalation[0]!.body.text).toContain('The technician arrived two hours late');
    expect(escalation[0]!.body.text).toContain('期限: 2025年10月11日 00:00（Asia/Shanghai）');

    // The team lead takes the case over from the email; it stays due until resolved.
    const takeOver = linkIn(escalation[0], { action: '由我接手' });
    expect(takeOver).toBeDefined();
    const shown = (await send(takeOver!, { method: 'GET', headers: {} })).text;
    expect(shown).toContain(`接手处理: ${feedbackId}`);
    expect(shown).toContain('(状态: 处理中)');
    // The head of service (level 2, two hours later) takes it over from the team lead.
    await runtime.advance(2 * 3600);
    const headEmail = emailsAbout(await runtime.mailbox(), feedbackId).at(-1);
    expect(recipients([headEmail!])).toEqual(['head-of-service@demo.example']);
    const headTakeOver = linkIn(headEmail, { action: '由我接手' });
    expect(headTakeOver).toBeDefined();
    const taken = await send(headTakeOver!, { method: 'POST', headers: {} });
    expect(taken.status).toBe(200);
    expect(taken.text).toContain(`您现在负责 ${feedbackId}`);
    const assigned = (await runtime.api('GET', `/v1/feedback/${feedbackId}`)).body;
    expect(assigned.assigneeId).toBe('head-zhou');
    expect(assigned.timeline.at(-1)).toMatchObject({ type: 'taken_over', actor: 'head-zhou' });

    await runtime.advance(3600);
    const resolved = await runtime.api('POST', `/v1/feedback/${feedbackId}/resolve`, {
      result: 'We apologised and refunded the visit fee',
      changes: 'Dispatch now books technicians with a 30-minute buffer',
    });
    expect(resolved.status).toBe(200);
    const late = await send(takeOver!, { method: 'POST', headers: {} });
    expect(late.status).toBe(409);
    expect(late.text).toContain('无需接手');
    const mail = emailsAbout(await runtime.mailbox(), feedbackId);
    expect(recipients(mail)).toEqual([
      'team-lead@demo.example',
      'team-lead@demo.example',
      'head-of-service@demo.example',
      'zhou.jie@customer.example',
    ]);
    expect(mail[3]!.body.text).toContain('We apologised and refunded the visit fee');
    expect(mail[3]!.body.text).toContain('30-minute buffer');

    const stored = (await runtime.api('GET', `/v1/feedback/${feedbackId}`)).body;
    expect(stored.status).toBe('closed');
    expect(Object.keys(stored).filter((k) => /^(pk|sk|gsi)/.test(k))).toEqual([]); // no table keys
    expect(stored.resolution.changes).toContain('30-minute buffer');
    expect(stored.breaches).toMatchObject([{ promise: 'feedback', open: false, minutesLate: 181 }]);
    expect(
      (await runtime.api('POST', `/v1/feedback/${feedbackId}/resolve`, { result: 'again' })).status,
    ).toBe(409);
  });

  it('opens a feedback case for every complaint request, due by the request’s contract terms', async () => {
    const { requestId } = (
      await runtime.api(
        'POST',
        '/v1/requests',
        repairRequest({ kind: 'complaint', description: 'Rude on the phone' }),
      )
    ).body;
    const feedback = await runtime.api('GET', `/v1/feedback/fb_${requestId.slice(3)}`);
    expect(feedback.status).toBe(200);
    expect(feedback.body).toMatchObject({
      category: 'complaint',
      requestId,
      content: 'Rude on the phone',
      status: 'open',
      workingDays: 5,
    });
  });

  it('tells the customer the result when resolved on time, with no escalation', async () => {
    const { feedbackId } = (
      await runtime.api('POST', '/v1/feedback', {
        ...complaint,
        category: 'suggestion',
        content: 'Offer evening visits',
      })
    ).body;
    await runtime.advance(3600);
    await runtime.api('POST', `/v1/feedback/${feedbackId}/resolve`, {
      result: 'Evening visits start next month',
    });
    await runtime.advance(10 * 86_400);
    expect(recipients(emailsAbout(await runtime.mailbox(), feedbackId))).toEqual([
      'zhou.jie@customer.example',
    ]);
    expect((await runtime.api('GET', `/v1/feedback/${feedbackId}`)).body.breaches).toEqual([]);
  });

  it('lists the open cases soonest due first, and a case leaves the list once resolved', async () => {
    const open = async () =>
      (await runtime.api('GET', '/v1/feedback')).body.items.map((f: { feedbackId: string }) => f.feedbackId);
    const first = (await runtime.api('POST', '/v1/feedback', { ...complaint, content: 'First' })).body;
    await runtime.advance(2 * 86_400);
    const second = (await runtime.api('POST', '/v1/feedback', { ...complaint, content: 'Second' })).body;
    expect(first.dueAt < second.dueAt).toBe(true);
    const listed = await open();
    expect(listed.indexOf(first.feedbackId)).toBeLessThan(listed.indexOf(second.feedbackId));
    const dues = (await runtime.api('GET', '/v1/feedback')).body.items.map((f: { dueAt: string }) => f.dueAt);
    expect(dues).toEqual([...dues].sort());

    await runtime.api('POST', `/v1/feedback/${first.feedbackId}/resolve`, { result: 'Sorted' });
    expect(await open()).not.toContain(first.feedbackId);
    expect(await open()).toContain(second.feedbackId);
    const closed = (await runtime.api('GET', '/v1/feedback?status=closed&limit=100')).body.items;
    expect(closed.map((f: { feedbackId: string }) => f.feedbackId)).toContain(first.feedbackId);
    expect(closed.find((f: { feedbackId: string }) => f.feedbackId === first.feedbackId)).not.toHaveProperty(
      'timeline',
    );
    expect((await runtime.api('GET', '/v1/feedback?status=lost')).status).toBe(422);
  });
});
