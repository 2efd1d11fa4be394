import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRequest } from '#functions/adapters/requests.ts';
import { signLink } from '#functions/adapters/signed-links.ts';
import {
  completedRequest,
  completionReport,
  emailsAbout,
  lifecycleHistory,
  linkIn,
  recipients,
  repairRequest,
  stepFunctionsOf,
} from '#local/driver/lifecycle.ts';
import { invokeFunction } from '#local/lambda.ts';
import { send, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const HOUR = 3600;
let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(async () => {
  await runtime.dispose();
});

async function createRequest(overrides: Record<string, unknown> = {}) {
  const created = await runtime.api('POST', '/v1/requests', repairRequest(overrides));
  expect(created.status).toBe(201);
  return created.body as {
    requestId: string;
    receivedAt: string;
    deadlines: { response: string; completion: string };
  };
}

async function mailAbout(requestId: string) {
  return emailsAbout(await runtime.mailbox(), requestId);
}

describe('service-request lifecycle', () => {
  it('runs an on-time request from receipt to a service record, a survey answer and a closed request', async () => {
    const { requestId } = await createRequest();
    await runtime.advance(30 * 60);
    const acknowledged = await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`);
    expect(acknowledged.status).toBe(200);
    // The answer shows the request as it now is: the customer has been told (6.1.2).
    expect(acknowledged.body).toMatchObject({ status: 'acknowledged', confirmationSent: true });
    expect(acknowledged.body).toEqual((await runtime.api('GET', `/v1/requests/${requestId}`)).body);

    const confirmation = (await mailAbout(requestId)).filter((e) =>
      e.destination.to.includes('zhang.san@customer.example'),
    );
    expect(confirmation).toHaveLength(1);
    expect(confirmation[0]!.subject).toBe(`Demo Electronics Co., Ltd.：您的服务请求 ${requestId} 已受理`);

    const dispatched = await runtime.api('POST', `/v1/requests/${requestId}/dispatch`, {
      technicianId: 'tech-wang',
      mode: 'on_site',
    });
    expect(dispatched.status).toBe(200);
    expect(dispatched.body.status).toBe('dispatched');

    const start = new Date(Date.now());
    await runtime.advance(5 * HOUR);
    const completed = await runtime.api(
      'POST',
      `/v1/requests/${requestId}/complete`,
      completionReport(start, new Date(Date.now())),
    );
    expect(completed.status).toBe(200);
    expect(completed.body.serviceRecord).toMatchObject({
      recordNumber: `SR-${requestId}`,
      restoredToNormalUse: true,
      staff: [{ staffId: 'tech-wang', name: 'Wang Wei' }],
    });

    // The record went out with the survey invitation; the lifecycle waits for the answer (7.1).
    expect((await runtime.api('GET', `/v1/requests/${requestId}`)).body.status).toBe('completed');
    const answered = await runtime.api('POST', `/v1/requests/${requestId}/survey`, {
      serviceScore: 5,
      goodsScore: 4,
      recommendScore: 9,
    });
    expect(answered.status).toBe(200);

    const request = (await runtime.api('GET', `/v1/requests/${requestId}`)).body;
    expect(request.status).toBe('closed');
    expect(request.survey).toMatchObject({
      answer: { serviceScore: 5, goodsScore: 4, recommendScore: 9 },
      answeredVia: 'phone',
    });
    expect(request.breaches).toEqual([]);
    expect(request.warranty).toEqual({ applies: true, coveredUntil: '2027-01-10', inWarranty: true });
    expect(request.timeline.map((e: { type: string }) => e.type)).toEqual([
      'received',
      'acknowledged',
      'need_confirmed_with_customer',
      'dispatched',
      'completed',
      'service_record_delivered',
      'survey_answered',
      'closed',
    ]);

    const mail = await mailAbout(requestId);
    // The customer's confirmation, the dispatched technician's notice (#37), the customer's record.
    expect(recipients(mail)).toEqual([
      'zhang.san@customer.example',
      'wang.wei@demo.example',
      'zhang.san@customer.example',
    ]);
    expect(mail[1]!.subject).toMatch(/^派工：/);
    const record = mail[2]!;
    expect(record.subject).toBe(`Demo Electronics Co., Ltd.：服务记录 SR-${requestId}`);
    expect(record.body.text).toContain('Replaced the fan bearing');
    expect(record.body.text).toContain('是否恢复正常使用: 是');
    // Times as the customer reads them, in the tenant's zone; the promise as the contract states it.
    expect(record.body.text).toMatch(/开始时间: \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（Asia\/Shanghai）/);
    expect(record.body.text).not.toMatch(/\d{2}:\d{2}:\d{2}(\.\d+)?Z/);
    expect(record.body.text).toContain('5 个工作日内处理并告知结果');
    expect(record.body.text).toMatch(/填写满意度调查: http:\/\/127\.0\.0\.1:\d+\/s\//);

    // One short burst per trigger (workflows/service-request/README.md): intake, acknowledge,
    // dispatch, complete (the record goes out), the answer (the request closes); each parks or ends.
    // The confirmation went out with the acknowledgement, so no burst had anything to do for it.
    const bursts = await lifecycleHistory(runtime, requestId);
    expect(bursts.map((b) => [b.name.split('--')[1]!.split('-')[0], b.status, b.steps])).toEqual([
      ['intake', 'SUCCEEDED', []],
      ['staff', 'SUCCEEDED', []],
      ['staff', 'SUCCEEDED', []],
      ['staff', 'SUCCEEDED', ['Deliver service record']],
      ['customer', 'SUCCEEDED', ['Close request']],
    ]);
    // Each took its one step within its claim (workflows/watched-subject.ts): three states a burst.
    for (const burst of bursts)
      expect(burst.states).toEqual(['Claim the request', 'Route by phase', 'Park until the next wake-up']);
    // Ended: no wake-up left behind.
    expect(runtime.scheduler.schedules().filter((schedule) => schedule.Name.startsWith(requestId))).toEqual(
      [],
    );
  });

  it('escalates to level 1 the second the 2 hours have passed, to level 2 two hours later, and stops when acknowledged', async () => {
    const { requestId } = await createRequest({ description: 'Will not turn on <b>at all</b>' });

    // At exactly 2 hours a response is still on time (6.1.2): nothing yet.
    await runtime.advance(2 * HOUR);
    expect(await mailAbout(requestId)).toEqual([]);

    await runtime.advance(1);
    const level1 = await mailAbout(requestId);
    expect(recipients(level1)).toEqual(['team-lead@demo.example']);
    expect(level1[0]!.subject).toContain('[升级 Team lead]');
    expect(level1[0]!.body.text).toContain('2 小时内响应');
    expect(level1[0]!.body.html).toContain('Will not turn on &#60;b&#62;at all&#60;/b&#62;');
    expect(level1[0]!.body.html).not.toContain('<b>at all</b>');

    expect(level1[0]!.subject).toBe(`[升级 Team lead] ${requestId} 已超时 1 分钟`);
    const afterLevel1 = (await runtime.api('GET', `/v1/requests/${requestId}`)).body;
    expect(afterLevel1.breaches).toMatchObject([{ promise: 'response', open: true, minutesLate: 1 }]);

    await runtime.advance(2 * HOUR - 1);
    expect(recipients(await mailAbout(requestId))).toEqual(['team-lead@demo.example']);
    await runtime.advance(1);
    expect(recipients(await mailAbout(requestId))).toEqual([
      'team-lead@demo.example',
      'head-of-service@demo.example',
    ]);

    await runtime.advance(15 * 60);
    expect((await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`)).status).toBe(200);
    await runtime.advance(10 * HOUR);

    const mail = await mailAbout(requestId);
    expect(recipients(mail)).toEqual([
      'team-lead@demo.example',
      'head-of-service@demo.example',
      'zhang.san@customer.example',
    ]);
    const request = (await runtime.api('GET', `/v1/requests/${requestId}`)).body;
    // Acknowledged 2 h 15 min 1 s after the deadline: 136 minutes, rounded up.
    expect(request.breaches).toMatchObject([{ promise: 'response', open: false, minutesLate: 136 }]);
  });

  it('escalates a missed completion deadline and records the breach as met when the work is completed', async () => {
    const { requestId } = await createRequest();
    await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`);
    await runtime.api('POST', `/v1/requests/${requestId}/dispatch`, {
      technicianId: 'tech-wang',
      mode: 'remote',
    });

    // Dispatch told Wang Wei and made him the assignee: he is warned at 75% of the 72-hour window.
    await runtime.advance(54 * HOUR);
    expect(recipients(await mailAbout(requestId))).toEqual([
      'zhang.san@customer.example',
      'wang.wei@demo.example',
      'wang.wei@demo.example',
    ]);
    await runtime.advance(18 * HOUR);
    expect(recipients(await mailAbout(requestId))).toHaveLength(3);
    await runtime.advance(1);
    const mail = await mailAbout(requestId);
    expect(recipients(mail)).toEqual([
      'zhang.san@customer.example',
      'wang.wei@demo.example',
      'wang.wei@demo.example',
      'team-lead@demo.example',
    ]);
    expect(mail[3]!.body.text).toContain('72 小时内完成');
    expect(mail[3]!.body.text).toContain('Wang Wei');

    await runtime.advance(HOUR - 1);
    const start = new Date(Date.now() - HOUR * 1000);
    await runtime.api(
      'POST',
      `/v1/requests/${requestId}/complete`,
      completionReport(start, new Date(Date.now())),
    );
    const request = (await runtime.api('GET', `/v1/requests/${requestId}`)).body;
    expect(request.status).toBe('completed');
    expect(request.breaches).toMatchObject([{ promise: 'completion', open: false, minutesLate: 60 }]);
  });

  it('ignores duplicate triggers: a retried acknowledge is answered as recorded, another person’s is a conflict, and a replayed wake-up changes nothing', async () => {
    const { requestId } = await createRequest();
    // Parked until the response deadline: the wake-up the intake burst scheduled.
    const parked = (await getRequest('demo', requestId))!;
    expect(parked.wakeUpAt).toBe(
      new Date(Date.parse(parked.receivedAt) + 2 * HOUR * 1000 + 1000).toISOString(),
    );
    const wakeUp = runtime.scheduler.schedules().find((schedule) => schedule.Name === parked.wakeUp)!;
    expect(wakeUp.ScheduleExpression).toBe(`at(${parked.wakeUpAt!.slice(0, 19)})`);

    expect((await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`)).status).toBe(200);
    // The same caller again (a retry after a lost answer): the acknowledgement as recorded.
    expect((await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`)).status).toBe(200);
    const colleague = (await runtime.api('POST', '/v1/api-keys', { role: 'agent' })).body.apiKey;
    const second = await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`, undefined, {
      apiKey: colleague,
    });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('Conflict');
    const timeline = (await runtime.api('GET', `/v1/requests/${requestId}`)).body.timeline as {
      type: string;
    }[];
    expect(timeline.filter((entry) => entry.type === 'acknowledged')).toHaveLength(1);
    await runtime.settled();
    // The acknowledgement's burst parked anew and deleted the old wake-up...
    expect(runtime.scheduler.schedules().some((schedule) => schedule.Name === parked.wakeUp)).toBe(false);

    // ...and that wake-up firing anyway (late, or twice) loses its claim and does nothing.
    const replay = JSON.parse(wakeUp.Target.Input!) as {
      StateMachineArn: string;
      Name: string;
      Input: string;
    };
    await stepFunctionsOf(runtime).send(
      new StartExecutionCommand({
        stateMachineArn: replay.StateMachineArn,
        name: replay.Name,
        input: replay.Input,
      }),
    );
    await runtime.settled();
    const replayed = (await lifecycleHistory(runtime, requestId)).filter((b) => b.name === replay.Name);
    expect(replayed.map((b) => b.states)).toEqual([['Claim the request', 'Route by phase', 'Superseded']]);
    expect((await runtime.api('GET', `/v1/requests/${requestId}`)).body.status).toBe('acknowledged');

    await runtime.advance(60);
    const mail = await mailAbout(requestId);
    expect(recipients(mail)).toEqual(['zhang.san@customer.example']);
  });

  it('leaves only the newest burst’s wake-up when a burst is overtaken between its claim and its park', async () => {
    const { requestId } = await createRequest();
    const parked = (await getRequest('demo', requestId))!;
    const steps = (input: Record<string, unknown>) =>
      invokeFunction('serviceRequestSteps', { tenantId: 'demo', requestId, ...input }) as Promise<
        Record<string, unknown> & { generation: number; phase: string; waitSeconds: number }
      >;
    const claim = { step: 'claim', trigger: 'staff', expectGeneration: null, execution: 'test' };
    // Two bursts claim in turn; both find the intake burst's wake-up pending.
    const overtaken = await steps({ ...claim, run: 'run-1' });
    const newest = await steps({ ...claim, run: 'run-2' });
    expect(newest.generation).toBe(overtaken.generation + 1);
    for (const burst of [overtaken, newest])
      expect(burst.pendingWakeUp).toEqual({ name: parked.wakeUp, at: parked.wakeUpAt });

    // The overtaken one parks last-but-not-least: it learns at its write, and takes back its wake-up.
    const park = (burst: typeof newest) => steps({ ...burst, step: 'park' });
    expect((await park(overtaken)).phase).toBe('superseded');
    expect((await park(newest)).phase).toBe(newest.phase);

    const now = (await getRequest('demo', requestId))!;
    expect(now.burstGeneration).toBe(newest.generation);
    const live = runtime.scheduler.schedules().filter((schedule) => schedule.Name.includes(requestId));
    expect(live.map((schedule) => schedule.Name)).toEqual([now.wakeUp]);
    expect(now.wakeUp).not.toBe(parked.wakeUp);
  });

  it('lets a claim retried in its own run go on, and another run of the same execution lose', async () => {
    const { requestId } = await createRequest();
    const steps = (input: Record<string, unknown>) =>
      invokeFunction('serviceRequestSteps', {
        tenantId: 'demo',
        requestId,
        step: 'claim',
        ...input,
      }) as Promise<{
        generation: number;
        phase: string;
      }>;
    const burstsOnTimeline = async () =>
      (await getRequest('demo', requestId))!.timeline.filter((event) => event.type === 'burst').length;
    const stored = (await getRequest('demo', requestId))!.burstGeneration!;
    const timer = { trigger: 'timer', expectGeneration: stored, execution: `${requestId}--timer-x` };

    // A wake-up's burst claims; its step fails after the write and is retried: the claim is its own.
    const claimed = await steps({ ...timer, run: 'run-a' });
    const retried = await steps({ ...timer, run: 'run-a' });
    expect(claimed.generation).toBe(stored + 1);
    expect(retried).toEqual(claimed);
    // A second run of that execution (Express runs at least once) has another id, and loses.
    expect((await steps({ ...timer, run: 'run-b' })).phase).toBe('superseded');

    // A staff burst, retried, keeps its one generation too.
    const staff = {
      trigger: 'staff',
      expectGeneration: null,
      execution: `${requestId}--staff-y`,
      run: 'run-c',
    };
    const first = await steps(staff);
    expect(first.generation).toBe(stored + 2);
    expect((await steps(staff)).generation).toBe(stored + 2);
    // One timeline entry a burst, the retries' included: intake's, the wake-up's and the staff one.
    expect(await burstsOnTimeline()).toBe(3);

    // A burst from a state machine deployed before runs were named: its retry claims anew, as before.
    const unnamed = { trigger: 'staff', expectGeneration: null, execution: `${requestId}--staff-z` };
    expect((await steps(unnamed)).generation).toBe(stored + 3);
    expect((await steps(unnamed)).generation).toBe(stored + 4);
  });

  it('rejects dispatching a technician without the skill the request needs', async () => {
    const { requestId } = await createRequest();
    await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`);
    const rejected = await runtime.api('POST', `/v1/requests/${requestId}/dispatch`, {
      technicianId: 'tech-zhao',
      mode: 'on_site',
    });
    expect(rejected.status).toBe(422);
    expect(rejected.body.error.fields.technicianId[0]).toContain('repair');
    expect((await runtime.api('GET', `/v1/requests/${requestId}`)).body.status).toBe('acknowledged');
  });

  it('warns the assignee when 75% of the response window has passed', async () => {
    const { requestId } = await createRequest({ assigneeId: 'agent-li' });
    await runtime.advance(90 * 60 - 1);
    expect(await mailAbout(requestId)).toEqual([]);
    await runtime.advance(1);
    const mail = await mailAbout(requestId);
    expect(recipients(mail)).toEqual(['li.na@demo.example']);
    expect(mail[0]!.subject).toContain('[即将超时]');
    await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`);
  });

  it('lets a manager acknowledge from the escalation email without logging in', async () => {
    const { requestId } = await createRequest();
    await runtime.advance(2 * HOUR + 1);
    const escalation = (await mailAbout(requestId))[0]!;
    const link = linkIn(escalation, { action: '确认响应' });
    expect(link).toBeDefined();
    // The email also opens the request in the staff console (#15), as does every action page.
    const consoleLink = `${runtime.urls.api}/console/requests/${requestId}`;
    expect(escalation.body.text).toContain(`在控制台中查看: ${consoleLink}`);

    // The page speaks the tenant's language, like the email; a GET (a mail scanner's prefetch) changes nothing.
    const page = await send(link!, { method: 'GET', headers: {} });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="zh-CN">');
    expect(page.text).toContain(
      '<button type="submit" style="font-size:1.1rem;padding:.5rem 1.5rem">确认响应</button>',
    );
    expect((await runtime.api('GET', `/v1/requests/${requestId}`)).body.status).toBe('received');

    const acted = await send(link!, { method: 'POST', headers: {} });
    expect(acted.status).toBe(200);
    expect(acted.text).toContain(`服务请求 ${requestId} 已确认响应`);
    expect(acted.text).toContain(`<a href="${consoleLink}">在控制台中查看</a>`);
    const again = await send(link!, { method: 'POST', headers: {} });
    expect(again.status).toBe(409);
    expect(again.text).toContain('已由 lead-chen 确认响应');
    await runtime.settled();
    const request = (await runtime.api('GET', `/v1/requests/${requestId}`)).body;
    expect(request.status).toBe('acknowledged');
    expect(request.acknowledgedBy).toBe('lead-chen');
    expect(recipients(await mailAbout(requestId))).toEqual([
      'team-lead@demo.example',
      'zhang.san@customer.example',
    ]);

    const forged = await send(`${link!.slice(0, -3)}xyz`, { method: 'POST', headers: {} });
    expect(forged.status).toBe(404);
    expect(forged.text).toContain('链接无效 / Link not valid');
  });

  it('lets a manager on the staff list take a request over from the email, and tells anyone else why not', async () => {
    const { requestId } = await createRequest();
    await runtime.advance(2 * HOUR + 1);
    const escalation = (await mailAbout(requestId))[0]!;
    const takeOver = linkIn(escalation, { action: '由我接手' });
    expect(takeOver).toBeDefined();

    // A link in the name of someone not on the staff list assigns nothing, and says so.
    const stranger = await signLink({
      tenantId: 'demo',
      requestId,
      action: 'takeOver',
      actor: 'stranger@elsewhere.example',
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    });
    const refused = await send(stranger, { method: 'POST', headers: {} });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('stranger@elsewhere.example 不在员工名单中');
    expect((await runtime.api('GET', `/v1/requests/${requestId}`)).body).toMatchObject({
      status: 'received',
    });

    // The team lead's link assigns the request to them and, as it was waiting, acknowledges it.
    const taken = await send(takeOver!, { method: 'POST', headers: {} });
    expect(taken.status).toBe(200);
    await runtime.settled();
    const request = (await runtime.api('GET', `/v1/requests/${requestId}`)).body;
    expect(request).toMatchObject({
      status: 'acknowledged',
      assigneeId: 'lead-chen',
      acknowledgedBy: 'lead-chen',
    });
    expect(request.timeline.map((e: { type: string }) => e.type)).toContain('taken_over');
  });

  it('lets exactly one of two managers who take a request over at the same moment have it', async () => {
    const { requestId } = await createRequest();
    await runtime.advance(4 * HOUR + 1);
    const [lead, head] = await mailAbout(requestId);
    const links = [linkIn(lead, { action: '由我接手' })!, linkIn(head, { action: '由我接手' })!];
    const answers = await Promise.all(links.map((link) => send(link, { method: 'POST', headers: {} })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const loser = answers.find((a) => a.status === 409)!;
    const request = (await runtime.api('GET', `/v1/requests/${requestId}`)).body;
    const winner = request.assigneeId === 'lead-chen' ? 'Chen Jing' : 'Zhou Min';
    expect(loser.text).toContain(`已由 ${winner} 接手`);
    expect(request.timeline.filter((e: { type: string }) => e.type === 'taken_over')).toHaveLength(1);
  });

  it('ends the lifecycle when staff cancel, with no escalation afterwards', async () => {
    const { requestId } = await createRequest();
    const cancelled = await runtime.api('POST', `/v1/requests/${requestId}/cancel`, {
      reason: 'Customer solved it',
    });
    expect(cancelled.status).toBe(200);
    await runtime.advance(5 * HOUR);
    expect(await mailAbout(requestId)).toEqual([]);
    // The cancellation's burst ended the lifecycle: its wake-up deleted, nothing parked.
    const last = (await lifecycleHistory(runtime, requestId)).at(-1)!;
    expect(last.name).toMatch(new RegExp(`^${requestId}--staff-`));
    expect(last.states.at(-1)).toBe('Park until the next wake-up');
    expect((await getRequest('demo', requestId))!.wakeUp).toBeUndefined();
    expect(runtime.scheduler.schedules().filter((schedule) => schedule.Name.startsWith(requestId))).toEqual(
      [],
    );
  });

  it('reminds once about an unanswered survey after 3 days and closes the request when it expires after 14', async () => {
    const requestId = await completedRequest(runtime);
    const reminders = async () => (await mailAbout(requestId)).filter((e) => e.subject.includes('提醒'));

    await runtime.advance(3 * 86_400 - 1);
    expect(await reminders()).toEqual([]);
    await runtime.advance(1);
    expect(await reminders()).toHaveLength(1);
    const link = linkIn((await reminders())[0], 'survey')!;

    await runtime.advance(11 * 86_400 - 1);
    expect((await runtime.api('GET', `/v1/requests/${requestId}`)).body.status).toBe('completed');
    await runtime.advance(1);
    expect((await runtime.api('GET', `/v1/requests/${requestId}`)).body.status).toBe('closed');
    expect(await reminders()).toHaveLength(1);

    const late = await send(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'serviceScore=5&goodsScore=5&recommendScore=10',
    });
    expect(late.status).toBe(410);
  });

  it('opens a feedback case when a phone interview records a low score', async () => {
    const requestId = await completedRequest(runtime);
    const answered = await runtime.api('POST', `/v1/requests/${requestId}/survey`, {
      serviceScore: 1,
      goodsScore: 3,
      recommendScore: 2,
      serviceOpinion: 'Nobody called back',
    });
    expect(answered.status).toBe(200);
    const feedback = (await runtime.api('GET', `/v1/feedback/fb_s${requestId.slice(3)}`)).body;
    expect(feedback).toMatchObject({
      category: 'low_score',
      status: 'open',
      requestId,
      requestKind: 'repair',
    });
    expect(feedback.content).toContain('Nobody called back');
    expect(
      (
        await runtime.api('POST', `/v1/requests/${requestId}/survey`, {
          serviceScore: 5,
          goodsScore: 5,
          recommendScore: 10,
        })
      ).status,
    ).toBe(409);
  });
});
