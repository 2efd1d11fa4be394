import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completedRequest, linkIn } from '#local/driver/lifecycle.ts';
import { send, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** 3.1c, 7.1.1: periodic follow-up visits and surveys, run by the daily schedule on the runtime's clock. */
let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime({ startAt: new Date('2026-03-02T01:00:00.000Z') });
});
afterAll(async () => {
  await runtime.dispose();
});

describe('follow-up visits', () => {
  it('opens one follow-up visit for a served customer when the tenant’s period has passed, and not twice', async () => {
    const updated = await runtime.api('PUT', '/v1/settings', { followUpVisitEveryDays: 30 });
    expect(updated.status).toBe(200);

    const customer = { name: 'Qian Yu', email: 'qian.yu@customer.example' };
    const _requestId = await completedRequest(runtime, { customer });

    const visits = async () =>
      (await runtime.api('GET', '/v1/requests?status=received&limit=100')).body.items.filter(
        (r: { kind: string; customer: { email: string } }) =>
          r.kind === 'follow_up_visit' && r.customer.email === customer.email,
      );
    await runtime.advance(29 * 86_400);
    expect(await visits()).toEqual([]);
    await runtime.advance(2 * 86_400);
    const opened = await visits();
    expect(opened).toHaveLength(1);
    expect(opened[0].channel).toBe('api');

    await runtime.advance(2 * 86_400);
    const stillOne = (await runtime.api('GET', '/v1/requests?limit=100')).body.items.filter(
      (r: { kind: string; customer: { email: string } }) =>
        r.kind === 'follow_up_visit' && r.customer.email === customer.email,
    );
    expect(stillOne).toHaveLength(1);
    // Nobody acts on it here: cancelled, so that its daily reminders do not run through the rest.
    await runtime.api('POST', `/v1/requests/${opened[0].requestId}/cancel`, { reason: 'test done' });
  });
});

describe('periodic satisfaction surveys (7.1.1)', () => {
  it('sends each served customer a survey every period, reminds once, and takes the answer on the survey page', async () => {
    // Follow-up visits off (null clears the setting), periodic surveys every 60 days.
    expect(
      (
        await runtime.api('PUT', '/v1/settings', {
          followUpVisitEveryDays: null,
          periodicSurveyEveryDays: 60,
        })
      ).status,
    ).toBe(200);

    const customer = { name: 'Lin Tao', email: 'lin.tao@customer.example' };
    const _requestId = await completedRequest(runtime, { customer });

    const periodic = async () =>
      (await runtime.mailbox()).filter(
        (e) => e.destination.to.includes(customer.email) && e.subject.includes('评价我们的售后服务'),
      );
    await runtime.advance(59 * 86_400);
    expect(await periodic()).toEqual([]);
    await runtime.advance(2 * 86_400);
    expect(await periodic()).toHaveLength(1);
    await runtime.advance(3 * 86_400);
    const mail = await periodic();
    expect(mail.map((e) => e.subject.includes('提醒'))).toEqual([false, true]);

    const link = linkIn(mail[0], 'survey')!;
    const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    const answered = await send(link, {
      ...form,
      body: 'serviceScore=3&goodsScore=2&recommendScore=5&goodsOpinion=The+lid+cracked',
    });
    expect(answered.status).toBe(200);
    expect(
      (await send(link, { ...form, body: 'serviceScore=5&goodsScore=5&recommendScore=10' })).status,
    ).toBe(409);
    await runtime.settled();

    const month = new Date(Date.now()).toISOString().slice(0, 7);
    const report = (await runtime.api('GET', `/v1/reports/satisfaction?from=2026-03-01&to=2026-12-31`)).body;
    expect(report.rows.find((r: { kind: string; period: string }) => r.kind === 'periodic')).toMatchObject({
      surveysSent: 1,
      answered: 1,
      csatGoods: 2,
      feedbackOpened: 1, // the low goods score, counted under the periodic survey it came from
    });
    expect(report.rows.some((r: { period: string }) => r.period === month)).toBe(true);
  });

  it('lists the periodic surveys to phone, and takes a phone interview’s answers once (7.1.2)', async () => {
    const customer = { name: 'Hu Min', email: 'hu.min@customer.example' };
    await completedRequest(runtime, { customer });
    await runtime.advance(61 * 86_400);
    const today = new Date(Date.now()).toISOString().slice(0, 10);
    const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    const unanswered = await runtime.api('GET', `/v1/surveys?from=${weekAgo}&to=${today}&answered=false`);
    expect(unanswered.status).toBe(200);
    const survey = unanswered.body.items.find(
      (s: { customer: { email: string } }) => s.customer.email === customer.email,
    );
    expect(survey).toMatchObject({ customer, language: 'zh-CN' });
    expect(survey.answeredAt).toBeUndefined();

    const path = `/v1/surveys/${survey.surveyId}/answer`;
    expect((await runtime.api('POST', path, { serviceScore: 9 })).status).toBe(422);
    const answer = {
      serviceScore: 5,
      goodsScore: 4,
      recommendScore: 9,
      serviceOpinion: 'Call before visiting',
    };
    const answered = await runtime.api('POST', path, answer);
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ answeredVia: 'phone', answer: { serviceScore: 5 } });
    expect((await runtime.api('POST', path, answer)).status).toBe(409);
    expect((await runtime.api('POST', '/v1/surveys/ps_unknown/answer', answer)).status).toBe(404);

    // A written opinion is feedback to handle within the working days, under the periodic kind.
    const feedback = (await runtime.api('GET', `/v1/feedback/fb_${survey.surveyId}`)).body;
    expect(feedback).toMatchObject({ category: 'opinion', requestKind: 'periodic', status: 'open' });
    const answeredList = await runtime.api('GET', `/v1/surveys?from=${weekAgo}&to=${today}&answered=true`);
    expect(answeredList.body.items.map((s: { surveyId: string }) => s.surveyId)).toContain(survey.surveyId);
    expect((await runtime.api('GET', `/v1/surveys?from=${today}&to=${weekAgo}`)).status).toBe(422);
  });

  it('goes on with the other customers when SES rejects one address for good (recorded, not retried) or is down for a while (retried the next day)', async () => {
    const rejected = { name: 'Cao Lei', email: 'cao.lei@customer.example' };
    const outage = { name: 'Dai Wen', email: 'dai.wen@customer.example' };
    const served = { name: 'Jin Yu', email: 'jin.yu@customer.example' };
    for (const customer of [rejected, outage, served]) await completedRequest(runtime, { customer });
    const surveysTo = async (email: string) =>
      (await runtime.mailbox()).filter(
        (e) => e.destination.to.includes(email) && e.subject.includes('评价我们的售后服务'),
      );

    // The local SES, through the runtime's fault proxy: one address is refused for good
    // (MessageRejected, as SES answers for an unverified address in its sandbox), another
    // address meets a service outage on the day its survey is due.
    const fault = async (spec: Record<string, unknown>) =>
      expect(
        (
          await send(`${runtime.urls.api}/_local/faults`, {
            method: 'POST',
            headers: {},
            body: JSON.stringify(spec),
          })
        ).status,
      ).toBe(201);
    await fault({ component: 'ses', mode: 'reject', match: rejected.email });
    await runtime.advance(60 * 86_400);
    // Down from now until a minute past the coming midnight (UTC), when the daily run sends.
    const untilPastMidnight = 86_400 - ((Date.now() / 1000) % 86_400) + 60;
    await fault({ component: 'ses', mode: 'unavailable', match: outage.email, seconds: untilPastMidnight });
    await runtime.advance(86_400);
    expect(await surveysTo(served.email)).toHaveLength(1);
    expect(await surveysTo(rejected.email)).toEqual([]);
    expect(await surveysTo(outage.email)).toEqual([]);

    // The next day: the outage is over and its survey goes; the rejected address is not tried again.
    await runtime.advance(86_400);
    expect(await surveysTo(outage.email)).toHaveLength(1);
    expect(await surveysTo(rejected.email)).toEqual([]);
    expect(await surveysTo(served.email)).toHaveLength(1);
    const today = new Date(Date.now()).toISOString().slice(0, 10);
    const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    const toPhone = (await runtime.api('GET', `/v1/surveys?from=${weekAgo}&to=${today}&answered=false`)).body
      .items;
    expect(
      toPhone.find((s: { customer: { email: string } }) => s.customer.email === rejected.email),
    ).toMatchObject({
      emailRejected: 'MessageRejected: Email address is not verified.',
    });
    await send(`${runtime.urls.api}/_local/faults`, { method: 'DELETE', headers: {} });
  });
});
