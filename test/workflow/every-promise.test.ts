import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionReport, emailsAbout, linkIn, recipients, repairRequest } from '#local/driver/lifecycle.ts';
import { type SentEmail, send, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * Every promise watched from receipt, on time meaning on or before the deadline, and a ladder
 * whose top is reminded until someone acts (6.1.2, 6.2.1b, 7.2.1), from outside: the HTTP API,
 * the mailbox and the virtual clock. Time starts Monday 2 March 2026, 09:00 in Shanghai.
 */
let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime({ startAt: new Date('2026-03-02T01:00:00.000Z') });
});
afterAll(async () => {
  await runtime.dispose();
});

const HOUR = 3600;
const DAY = 86_400;
const mailAbout = async (id: string) => emailsAbout(await runtime.mailbox(), id);
const escalations = (mail: SentEmail[]) => mail.filter((e) => /^\[(升级|仍未处理)/.test(e.subject));
const breachesOf = async (requestId: string) =>
  (await runtime.api('GET', `/v1/requests/${requestId}`)).body.breaches as {
    promise: string;
    open: boolean;
    minutesLate: number;
  }[];
/** Moves the clock to a local time in Shanghai. */
const advanceTo = (local: string) => runtime.advance((Date.parse(`${local}+08:00`) - Date.now()) / 1000);

describe('every promise, watched from receipt', () => {
  it('counts an acknowledgement at exactly 2 hours as on time: no breach, no escalation', async () => {
    const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest())).body;
    await runtime.advance(2 * HOUR);
    const acknowledged = await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`);
    expect(acknowledged.status).toBe(200);
    await runtime.advance(5 * HOUR);
    expect(await breachesOf(requestId)).toEqual([]);
    expect(escalations(await mailAbout(requestId))).toEqual([]);
    await runtime.api('POST', `/v1/requests/${requestId}/cancel`, { reason: 'done with it' });
  });

  it('records and escalates the completion deadline of a request nobody ever acknowledged, once each', async () => {
    const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest())).body;
    // 72 hours for a repair, counted from receipt like the response.
    await runtime.advance(72 * HOUR);
    expect((await breachesOf(requestId)).map((b) => b.promise)).toEqual(['response']);
    await runtime.advance(1);
    const breaches = await breachesOf(requestId);
    expect(breaches.map((b) => [b.promise, b.open])).toEqual([
      ['completion', true],
      ['response', true],
    ]);
    const completionMail = escalations(await mailAbout(requestId)).filter((e) =>
      e.body.text?.includes('72 小时内完成'),
    );
    expect(recipients(completionMail)).toEqual(['team-lead@demo.example']);
    // Nobody has responded yet: whoever reads it is asked to respond, as for the response deadline.
    expect(linkIn(completionMail[0], { action: '确认响应' })).toBeDefined();

    // Acknowledged and completed late: both breaches met, neither counted twice.
    await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`);
    const start = new Date(Date.now() - HOUR * 1000);
    await runtime.api('POST', `/v1/requests/${requestId}/complete`, {
      ...completionReport(start, new Date(Date.now())),
      staffIds: ['tech-wang'],
    });
    const met = await breachesOf(requestId);
    expect(met.map((b) => [b.promise, b.open])).toEqual([
      ['completion', false],
      ['response', false],
    ]);
    const mailAfter = await mailAbout(requestId);
    await runtime.advance(2 * DAY);
    expect(escalations(await mailAbout(requestId))).toEqual(escalations(mailAfter));
  });

  it('records a late response as a breach even when the first level of the ladder waits', async () => {
    const settings = await runtime.api('GET', '/v1/settings');
    await runtime.api('PUT', '/v1/settings', {
      escalationLadder: {
        levels: [
          { name: 'Team lead', recipients: ['team-lead@demo.example'], delayMinutes: 30 },
          { name: 'Head of service', recipients: ['head-of-service@demo.example'], delayMinutes: 120 },
        ],
      },
    });
    try {
      const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest())).body;
      await runtime.advance(2 * HOUR + 10 * 60);
      expect(escalations(await mailAbout(requestId))).toEqual([]);
      await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`);
      expect(await breachesOf(requestId)).toMatchObject([
        { promise: 'response', open: false, minutesLate: 10 },
      ]);
      await runtime.api('POST', `/v1/requests/${requestId}/cancel`, { reason: 'done with it' });
    } finally {
      await runtime.api('PUT', '/v1/settings', { escalationLadder: settings.body.escalationLadder });
    }
  });
});

describe('the top of the ladder', () => {
  it('is reminded every working morning with fresh links while the request is open, and an old link still works', async () => {
    // Received Monday 9 March, 10:00; nobody acts.
    await advanceTo('2026-03-09T10:00:00');
    const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest())).body;
    await advanceTo('2026-03-09T14:00:01'); // level 2, the head of service, at 12:00:00.001
    const toHead = async () =>
      escalations(await mailAbout(requestId)).filter((e) =>
        e.destination.to.includes('head-of-service@demo.example'),
      );
    expect(await toHead()).toHaveLength(1);

    // Not again the same day, nor at night: Tuesday 09:00, Shanghai time.
    await advanceTo('2026-03-10T08:59:59');
    expect(await toHead()).toHaveLength(1);
    await advanceTo('2026-03-10T09:00:00');
    const tuesday = await toHead();
    expect(tuesday).toHaveLength(2);
    expect(tuesday[1]!.subject).toMatch(new RegExp(`^\\[仍未处理 Head of service\\] ${requestId} 已超时`));
    expect(linkIn(tuesday[1], { action: '确认响应' })).not.toBe(linkIn(tuesday[0], { action: '确认响应' }));

    // Every working morning of the week, none on Saturday or Sunday, the next on Monday. (On
    // Thursday the completion deadline passed too and went up the ladder: one reminder a day still.)
    const reminders = async () => (await toHead()).filter((e) => e.subject.startsWith('[仍未处理'));
    await advanceTo('2026-03-15T23:00:00');
    expect((await reminders()).map((e) => new Date(e.at * 1000).toISOString())).toEqual([
      '2026-03-10T01:00:00.000Z',
      '2026-03-11T01:00:00.000Z',
      '2026-03-12T01:00:00.000Z',
      '2026-03-13T01:00:00.000Z',
    ]);
    await advanceTo('2026-03-16T09:00:00');
    expect(await reminders()).toHaveLength(5);

    // The first email's link is a week old: it still acknowledges, because the request is open.
    const firstLink = linkIn((await toHead())[0], { action: '确认响应' })!;
    const acted = await send(firstLink, { method: 'POST', headers: {} });
    expect(acted.status).toBe(200);
    await runtime.settled();
    expect((await runtime.api('GET', `/v1/requests/${requestId}`)).body.status).toBe('acknowledged');
    // Cancelled: nothing is left to remind anyone of.
    await runtime.api('POST', `/v1/requests/${requestId}/cancel`, { reason: 'done with it' });
    await runtime.advance(2 * DAY);
    expect(await reminders()).toHaveLength(5);
    // Once nothing is left to act on, the old link says so: expired, and nothing to do.
    const late = await send(firstLink, { method: 'POST', headers: {} });
    expect(late.status).toBe(410);
    expect(late.text).toContain('处理完毕');
  });
});

describe('feedback about a person', () => {
  it('goes to the feedback owner, not to the technician it is about, and warns in working hours', async () => {
    await advanceTo('2026-03-23T10:00:00');
    const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest())).body;
    await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`);
    await runtime.api('POST', `/v1/requests/${requestId}/dispatch`, {
      technicianId: 'tech-wang',
      mode: 'on_site',
    });
    await runtime.advance(HOUR);
    await runtime.api(
      'POST',
      `/v1/requests/${requestId}/complete`,
      completionReport(new Date(Date.now() - 1800_000), new Date(Date.now())),
    );
    const answered = await runtime.api('POST', `/v1/requests/${requestId}/survey`, {
      serviceScore: 1,
      goodsScore: 4,
      recommendScore: 2,
      serviceOpinion: '师傅态度很差',
    });
    expect(answered.status).toBe(200);
    const feedbackId = `fb_s${requestId.slice(3)}`;
    const feedback = (await runtime.api('GET', `/v1/feedback/${feedbackId}`)).body;
    expect(feedback.assigneeId).toBe('lead-chen');
    // The customer's words and scores in the customer's language, no codes.
    expect(feedback.content).toBe('师傅态度很差\n评分：服务满意度 1/5，商品满意度 4/5，推荐意愿 2/10');

    await runtime.advance(14 * DAY);
    const mail = await mailAbout(feedbackId);
    expect(mail.some((e) => e.destination.to.includes('wang.wei@demo.example'))).toBe(false);
    const warning = mail.find((e) => e.subject.startsWith('[即将超时]'))!;
    expect(recipients([warning])).toEqual(['team-lead@demo.example']);
    const localHour = Number(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Asia/Shanghai',
        hour: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(warning.at * 1000)),
    );
    expect(localHour).toBeGreaterThanOrEqual(9);
    expect(localHour).toBeLessThan(18);
    await runtime.api('POST', `/v1/feedback/${feedbackId}/resolve`, { result: '已向您致歉，并安排培训' });
  });
});

describe('what customers read', () => {
  it('names the merchant, declares its language and charset, and holds no codes, English labels or empty paragraphs', async () => {
    const customerMail = (await runtime.mailbox()).filter((e) =>
      e.destination.to.some((to) => to.endsWith('@customer.example')),
    );
    const kinds = new Set(
      customerMail.map((e) => e.subject.replace(/[A-Za-z0-9_-]*sr_\w+|SR-\S+|fb_\w+/g, '…')),
    );
    expect(kinds.size).toBeGreaterThanOrEqual(3); // confirmation, record, feedback result at least
    for (const email of customerMail) {
      expect(email.subject, email.subject).toContain('Demo Electronics Co., Ltd.');
      expect(email.body.html).toMatch(/^<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">/);
      expect(email.body.html).not.toMatch(/<p[^>]*><\/p>|<table><\/table>/);
      const text = email.body.text ?? '';
      expect(text, email.subject).not.toMatch(
        /CSAT|NPS|\bservice \d\/5|low_score|follow_up_visit|technical_support/,
      );
    }
  });
});
