import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completedRequest, lifecycleHistory, linkIn, repairRequest } from '#local/driver/lifecycle.ts';
import { order727, updated } from '#local/samples/storefronts/woocommerce.ts';
import { send, startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import {
  clearFaults,
  hasLiveLifecycle,
  injectFault,
  levelOneEscalations,
  liveLifecycles,
  report,
} from './support.ts';

/**
 * Faults in the local runtime's real components, from outside: SES, DynamoDB and Step Functions
 * refuse, reset, answer 503, hang or reject around a deadline, at intake and at a survey answer.
 * After each: every breach recorded once, every due escalation email in the mailbox at least
 * once, no open request without a running lifecycle, no answer without its feedback case.
 */
let runtime: TestRuntime;
beforeAll(async () => {
  // The reconciler every 5 minutes, as deployed.
  runtime = await startTestRuntime({ reconcileEverySeconds: 300 });
});
afterAll(async () => {
  await runtime.dispose();
});

const HOUR = 3600;

async function requestState(requestId: string) {
  const request = (await runtime.api('GET', `/v1/requests/${requestId}`)).body;
  const running = await liveLifecycles(runtime.urls, runtime.stateMachineArns.serviceRequest);
  return { request, lifecycleRunning: hasLiveLifecycle(running, requestId) };
}

/** A request whose 2-hour deadline passes while the fault is on; then time enough to recover. */
async function aroundTheDeadline(fault: Record<string, unknown>, recoverSeconds = 10 * 60) {
  const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest())).body;
  await runtime.advance(2 * HOUR - 10);
  await injectFault(runtime.urls.api, { ...fault, seconds: 30 });
  await runtime.advance(11); // the deadline passes (escalation due at 2 h + 1 s) inside the fault
  await runtime.advance(recoverSeconds);
  await clearFaults(runtime.urls.api);
  const copies = levelOneEscalations(await runtime.mailbox(), requestId);
  const { request, lifecycleRunning } = await requestState(requestId);
  return { requestId, copies, request, lifecycleRunning };
}

describe('a fault around a deadline', () => {
  for (const component of ['ses', 'dynamodb', 'stepFunctions'] as const) {
    for (const mode of ['refuse', 'reset', 'unavailable', 'hang'] as const) {
      it(`${component} ${mode}: the escalation goes out, the breach is recorded once, the lifecycle lives on`, async () => {
        const { requestId, copies, request, lifecycleRunning } = await aroundTheDeadline({ component, mode });
        report({
          fault: `${component} ${mode} around a deadline`,
          survived: copies >= 1 && request.breaches.length === 1 && lifecycleRunning,
          emailsDue: 1,
          emailsLost: copies === 0 ? 1 : 0,
          duplicates: Math.max(0, copies - 1),
        });
        expect(copies, requestId).toBeGreaterThanOrEqual(1);
        expect(request.breaches).toMatchObject([{ promise: 'response', open: true }]);
        expect(lifecycleRunning).toBe(true);
        await runtime.api('POST', `/v1/requests/${requestId}/cancel`, { reason: 'fault test done' });
      });
    }
  }

  it('ses reject: the refused address is recorded, the lifecycle goes on, and the next level hears', async () => {
    const { requestId, request, lifecycleRunning } = await aroundTheDeadline({
      component: 'ses',
      mode: 'reject',
      match: 'team-lead@demo.example',
    });
    const escalated = request.timeline.find((e: { type: string }) => e.type === 'escalated');
    expect(escalated.details).toMatchObject({
      recipients: ['team-lead@demo.example'],
      rejected: ['team-lead@demo.example'],
    });
    expect(lifecycleRunning).toBe(true);
    await runtime.advance(2 * HOUR);
    const toHead = (await runtime.mailbox()).filter(
      (e) => e.subject.startsWith('[升级 Head of service]') && e.subject.includes(requestId),
    ).length;
    report({
      fault: 'ses reject (one address) around a deadline',
      survived: toHead >= 1 && lifecycleRunning,
      emailsDue: 1,
      emailsLost: toHead === 0 ? 1 : 0,
      duplicates: Math.max(0, toHead - 1),
      notes: 'the rejected address is recorded on the request, not retried',
    });
    expect(toHead).toBe(1);
    await runtime.api('POST', `/v1/requests/${requestId}/cancel`, { reason: 'fault test done' });
  });

  it('dynamodb reject (access denied): the failed lifecycle is restarted by the reconciler, and escalates', async () => {
    const { requestId, copies, request, lifecycleRunning } = await aroundTheDeadline(
      { component: 'dynamodb', mode: 'reject' },
      40 * 60,
    );
    report({
      fault: 'dynamodb reject around a deadline',
      survived: copies >= 1 && request.breaches.length === 1 && lifecycleRunning,
      emailsDue: 1,
      emailsLost: copies === 0 ? 1 : 0,
      duplicates: Math.max(0, copies - 1),
      notes: 'the execution fails; the reconciler starts generation 1',
    });
    expect(copies).toBeGreaterThanOrEqual(1);
    expect(request.breaches).toHaveLength(1);
    expect(lifecycleRunning).toBe(true);
    expect(request.timeline.map((e: { type: string }) => e.type)).toContain('lifecycle_restarted');
    await runtime.api('POST', `/v1/requests/${requestId}/cancel`, { reason: 'fault test done' });
  });
});

describe('a step that fails inside the claim', () => {
  it('ses unavailable for the escalation the claim takes: the same burst retries, finds the claim its own, and sends', async () => {
    const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest())).body;
    await runtime.advance(2 * HOUR - 10);
    // More 503s than the SDK's own 3 attempts: the step function fails once, inside its claim.
    await injectFault(runtime.urls.api, { component: 'ses', mode: 'unavailable', requests: 4 });
    await runtime.advance(11 + 60);
    await clearFaults(runtime.urls.api);

    expect(levelOneEscalations(await runtime.mailbox(), requestId)).toBe(1);
    const request = (await runtime.api('GET', `/v1/requests/${requestId}`)).body;
    expect(request.breaches).toMatchObject([{ promise: 'response', open: true }]);
    // One burst at the deadline did it, within a minute and without the reconciler (every 5 minutes).
    const bursts = await lifecycleHistory(runtime, requestId);
    expect(bursts.map((b) => [b.name.split('--')[1]!.split('-')[0], b.status, b.steps])).toEqual([
      ['intake', 'SUCCEEDED', []],
      ['timer', 'SUCCEEDED', ['Escalate missed deadline']],
    ]);
    // At least one attempt failed and was retried in the burst (more when the SDK's backoff
    // and the step's timeout interleave differently with the clock on a busy machine).
    expect(bursts[1]!.failedTasks).toBeGreaterThanOrEqual(1);
    expect(request.timeline.map((e: { type: string }) => e.type)).not.toContain('lifecycle_restarted');
    await runtime.api('POST', `/v1/requests/${requestId}/cancel`, { reason: 'fault test done' });
  });
});

describe('a step that hangs', () => {
  it('is ended by Lambda at the function’s timeout and retried by the same burst: the escalation goes out, no reconciler', async () => {
    const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest())).body;
    await runtime.advance(2 * HOUR - 10);
    // The next invocation of the step function never answers (a dependency without a timeout).
    await injectFault(runtime.urls.api, {
      component: 'lambda',
      mode: 'hang',
      match: 'serviceRequestSteps',
      requests: 1,
    });
    await runtime.advance(11 + 90);
    await clearFaults(runtime.urls.api);

    expect(levelOneEscalations(await runtime.mailbox(), requestId)).toBe(1);
    const bursts = await lifecycleHistory(runtime, requestId);
    expect(bursts.map((b) => [b.name.split('--')[1]!.split('-')[0], b.status, b.steps])).toEqual([
      ['intake', 'SUCCEEDED', []],
      ['timer', 'SUCCEEDED', ['Escalate missed deadline']],
    ]);
    expect(bursts[1]!.taskErrors).toEqual(['Sandbox.Timedout']);
    const request = (await runtime.api('GET', `/v1/requests/${requestId}`)).body;
    expect(request.timeline.map((e: { type: string }) => e.type)).not.toContain('lifecycle_restarted');
    await runtime.api('POST', `/v1/requests/${requestId}/cancel`, { reason: 'fault test done' });
  });
});

describe('Step Functions down', () => {
  it('at intake: the request is answered 201, kept, and watched once Step Functions is back', async () => {
    await injectFault(runtime.urls.api, { component: 'stepFunctions', mode: 'refuse', seconds: 60 });
    // The SDK backs off on the runtime's clock: time must move for the call to give up.
    const [created] = await Promise.all([
      runtime.api('POST', '/v1/requests', repairRequest({ description: 'Arrived during an outage' })),
      runtime.advance(30),
    ]);
    expect(created.status).toBe(201);
    const { requestId } = created.body;
    await runtime.advance(10 * 60);
    const { lifecycleRunning } = await requestState(requestId);
    await runtime.advance(2 * HOUR);
    const copies = levelOneEscalations(await runtime.mailbox(), requestId);
    report({
      fault: 'stepFunctions refuse at intake',
      survived: lifecycleRunning && copies >= 1,
      emailsDue: 1,
      emailsLost: copies === 0 ? 1 : 0,
      duplicates: Math.max(0, copies - 1),
      notes: 'started by the reconciler',
    });
    expect(lifecycleRunning).toBe(true);
    expect(copies).toBe(1);
    // One request, however the client felt about the outage.
    const listed = (await runtime.api('GET', '/v1/requests?limit=100')).body.items.filter(
      (r: { description: string }) => r.description === 'Arrived during an outage',
    );
    expect(listed).toHaveLength(1);
    await runtime.api('POST', `/v1/requests/${requestId}/cancel`, { reason: 'fault test done' });
  });

  it('at a survey answer: the answer is kept, its feedback case is opened and watched, and the request closes', async () => {
    const requestId = await completedRequest(runtime);
    const record = (await runtime.mailbox()).find((e) => e.subject.includes(`SR-${requestId}`));
    const link = linkIn(record, 'survey')!;
    await injectFault(runtime.urls.api, { component: 'stepFunctions', mode: 'refuse', seconds: 60 });
    const [answered] = await Promise.all([
      send(link, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'serviceScore=1&goodsScore=2&recommendScore=3&serviceOpinion=Nobody+came',
      }),
      runtime.advance(30),
    ]);
    // The answer and its feedback case are stored; the bursts that act on them are left to the
    // reconciler (their watch entries are due), so the customer is simply thanked.
    expect(answered.status).toBe(200);
    await runtime.advance(60);
    await clearFaults(runtime.urls.api);
    await runtime.advance(3 * 86_400 + 10 * 60);

    const feedbackId = `fb_s${requestId.slice(3)}`;
    const feedback = await runtime.api('GET', `/v1/feedback/${feedbackId}`);
    const running = await liveLifecycles(runtime.urls, runtime.stateMachineArns.feedbackCase);
    const { request } = await requestState(requestId);
    const survived =
      feedback.status === 200 && hasLiveLifecycle(running, feedbackId) && request.status === 'closed';
    report({
      fault: 'stepFunctions refuse at a survey answer',
      survived,
      emailsDue: 0,
      emailsLost: 0,
      duplicates: 0,
      notes: 'feedback case opened, its lifecycle started by the reconciler; the request closed',
    });
    expect(feedback.status).toBe(200);
    expect(feedback.body).toMatchObject({ category: 'low_score', status: 'open' });
    expect(hasLiveLifecycle(running, feedbackId)).toBe(true);
    expect(request.status).toBe('closed');
    expect(request.survey.answer).toMatchObject({ serviceScore: 1 });
  });

  it('at a survey answer, then submitted again: the answer was kept the first time (the same one is thanked again), and both lifecycles go on', async () => {
    const requestId = await completedRequest(runtime);
    const record = (await runtime.mailbox()).find((e) => e.subject.includes(`SR-${requestId}`));
    const link = linkIn(record, 'survey')!;
    const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    const body = 'serviceScore=2&goodsScore=2&recommendScore=2&goodsOpinion=Broke+again';
    await injectFault(runtime.urls.api, { component: 'stepFunctions', mode: 'unavailable', seconds: 60 });
    const [first] = await Promise.all([send(link, { ...form, body }), runtime.advance(30)]);
    expect(first.status).toBe(200);
    await clearFaults(runtime.urls.api);
    // The same answer again (a retry, a second tap) is thanked as the first was; another is refused.
    const again = await send(link, { ...form, body });
    expect(again.status).toBe(200);
    const other = await send(link, { ...form, body: 'serviceScore=5&goodsScore=5&recommendScore=10' });
    expect(other.status).toBe(409);
    // The reconciler's next pass starts what the outage left unstarted.
    await runtime.advance(10 * 60);
    const feedbackId = `fb_s${requestId.slice(3)}`;
    const running = await liveLifecycles(runtime.urls, runtime.stateMachineArns.feedbackCase);
    const feedback = await runtime.api('GET', `/v1/feedback/${feedbackId}`);
    const survived = feedback.status === 200 && hasLiveLifecycle(running, feedbackId);
    report({
      fault: 'stepFunctions unavailable at a survey answer, submitted again',
      survived,
      emailsDue: 0,
      emailsLost: 0,
      duplicates: 0,
    });
    expect(survived).toBe(true);
    expect((await runtime.api('GET', `/v1/requests/${requestId}`)).body.status).toBe('closed');
  });
});

describe('a survey answer whose feedback case cannot be written', () => {
  it('carries its own promise: the case exists and its lifecycle runs within minutes, though the customer never submits again', async () => {
    const requestId = await completedRequest(runtime);
    const record = (await runtime.mailbox()).find((e) => e.subject.includes(`SR-${requestId}`));
    const link = linkIn(record, 'survey')!;
    const feedbackId = `fb_s${requestId.slice(3)}`;
    // Every attempt of the case's write fails for a minute (503 past the SDK's retries); the answer is kept.
    await injectFault(runtime.urls.api, {
      component: 'dynamodb',
      mode: 'unavailable',
      match: `FEEDBACK#${feedbackId}`,
      seconds: 60,
    });
    const [answered] = await Promise.all([
      send(link, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'serviceScore=1&goodsScore=2&recommendScore=3&serviceOpinion=Nobody+came',
      }),
      runtime.advance(30),
    ]);
    expect(answered.status).toBe(503);
    await clearFaults(runtime.urls.api);
    // The customer gives up. The reconciler's next pass finds the answered request due.
    await runtime.advance(8 * 60);
    const feedback = await runtime.api('GET', `/v1/feedback/${feedbackId}`);
    const running = await liveLifecycles(runtime.urls, runtime.stateMachineArns.feedbackCase);
    const opened = feedback.status === 200 && hasLiveLifecycle(running, feedbackId);
    report({
      fault: 'dynamodb unavailable for a survey answer’s feedback case',
      survived: opened,
      emailsDue: 0,
      emailsLost: 0,
      duplicates: 0,
      casesOpenedLate: opened ? 0 : 1,
      notes: 'the answer’s own watch: the request restarted, its close opened the case',
    });
    expect(feedback.status).toBe(200);
    expect(hasLiveLifecycle(running, feedbackId)).toBe(true);
    expect((await requestState(requestId)).request.status).toBe('closed');
  });
});

describe('answers that tell the truth', () => {
  it('an acknowledgement during an SES hang is answered 200 as recorded (not 503), the customer is told once SES is back, and a retry is 200', async () => {
    const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest())).body;
    await injectFault(runtime.urls.api, { component: 'ses', mode: 'hang', seconds: 60 });
    const [acknowledged] = await Promise.all([
      runtime.api('POST', `/v1/requests/${requestId}/acknowledge`),
      runtime.advance(5),
    ]);
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body.status).toBe('acknowledged');
    const retried = await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`);
    expect(retried.status).toBe(200);
    expect(retried.body.acknowledgedAt).toBe(acknowledged.body.acknowledgedAt);
    await runtime.advance(60);
    await clearFaults(runtime.urls.api);
    await runtime.advance(10 * 60);
    const confirmations = (await runtime.mailbox()).filter(
      (e) => e.subject.includes(requestId) && e.destination.to.includes('zhang.san@customer.example'),
    );
    report({
      fault: 'ses hang at an acknowledgement',
      survived: confirmations.length >= 1,
      emailsDue: 1,
      emailsLost: confirmations.length === 0 ? 1 : 0,
      duplicates: Math.max(0, confirmations.length - 1),
      notes: 'answered 200 as recorded; the confirmation sent by the lifecycle',
    });
    expect(confirmations).toHaveLength(1);
    await runtime.api('POST', `/v1/requests/${requestId}/cancel`, { reason: 'fault test done' });
  });
});

describe('storefront deliveries during an outage (#33)', () => {
  it('DynamoDB down for 10 minutes during 50 WooCommerce deliveries: every one answered 2xx, and 50 requests afterwards', async () => {
    await injectFault(runtime.urls.api, { component: 'dynamodb', mode: 'unavailable', seconds: 600 });
    const statuses: number[] = [];
    for (let n = 0; n < 50; n++) {
      const order = updated(
        { ...order727, id: 9000 + n, number: String(9000 + n) },
        'return-requested',
        '2026-03-02T01:00:00',
      );
      const body = JSON.stringify(order);
      const [answer] = await Promise.all([
        send(`${runtime.urls.api}/v1/webhooks/demo/woocommerce`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-wc-webhook-signature': createHmac('sha256', runtime.demo.webhookSecrets.woocommerce)
              .update(body)
              .digest('base64'),
          },
          body,
        }),
        runtime.advance(5),
      ]);
      statuses.push(answer.status);
    }
    // WooCommerce tries once: every delivery must be kept, though nothing could be read.
    expect(statuses.filter((status) => status < 200 || status >= 300)).toEqual([]);
    await runtime.advance(600);
    await clearFaults(runtime.urls.api);
    // The inbox tries each again after its visibility timeout (3 minutes).
    await runtime.advance(15 * 60);
    const listed = (await runtime.api('GET', '/v1/requests?status=received&limit=200')).body.items as {
      orderReference?: string;
    }[];
    const opened = new Set(
      listed.flatMap((r) => (r.orderReference?.startsWith('90') ? [r.orderReference] : [])),
    );
    report({
      fault: 'dynamodb unavailable 10 min during 50 WooCommerce deliveries',
      survived: opened.size === 50,
      emailsDue: 0,
      emailsLost: 0,
      duplicates: 0,
      notes: `${opened.size} of 50 requests opened; ${runtime.storefrontInboxDeadLetters().length} dead letters`,
    });
    expect(opened.size).toBe(50);
    expect(runtime.storefrontInboxDeadLetters()).toEqual([]);
  });
});

describe('DynamoDB down', () => {
  it('answers every route 503 with Retry-After in our error shape, the API-key authorizer included', async () => {
    // A key the authorizer has not decided on yet: it must read the table to check it.
    const fresh = (await runtime.api('POST', '/v1/api-keys', { role: 'agent' })).body.apiKey as string;
    await injectFault(runtime.urls.api, { component: 'dynamodb', mode: 'unavailable', seconds: 120 });
    const [listed, page] = await Promise.all([
      runtime.api('GET', '/v1/requests', undefined, { apiKey: fresh }),
      runtime.api('GET', '/v1/calendar?from=2026-03-01&to=2026-03-07', undefined, { apiKey: fresh }),
      runtime.advance(60),
    ]);
    for (const answer of [listed, page]) {
      expect(answer.status).toBe(503);
      expect(answer.body).toEqual({
        error: { code: 'ServiceUnavailable', message: expect.stringContaining('try again') },
      });
      expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    }
    await clearFaults(runtime.urls.api);
    // Once the decision kept for the outage has lapsed (its Retry-After), the key works.
    await runtime.advance(Number(listed.headers['retry-after']));
    expect((await runtime.api('GET', '/v1/requests', undefined, { apiKey: fresh })).status).toBe(200);
  });
});
