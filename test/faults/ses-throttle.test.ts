import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repairRequest } from '#local/driver/lifecycle.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import {
  clearFaults,
  hasLiveLifecycle,
  injectFault,
  levelOneEscalations,
  liveLifecycles,
  report,
} from './support.ts';

/**
 * SES throttling that lasts: the mailer's client paces itself (the SDK's adaptive retries), the
 * step retries, and nothing fails or is sent twice. A file of its own: the slowed-down client
 * stays slow for a while after, as it would in a Lambda instance, and would slow other tests.
 */
let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime({ reconcileEverySeconds: 300 });
});
afterAll(async () => {
  await runtime.dispose();
});

const HOUR = 3600;

describe('SES throttling, sustained', () => {
  it('ses throttle for 5 minutes: the escalation waits, goes out once when SES accepts again, and the lifecycle lives on', async () => {
    const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest())).body;
    await runtime.advance(2 * HOUR - 10);
    await injectFault(runtime.urls.api, { component: 'ses', mode: 'throttle', seconds: 5 * 60 });
    await runtime.advance(11); // the deadline passes inside the throttling
    await runtime.advance(25 * 60);
    await clearFaults(runtime.urls.api);
    const copies = levelOneEscalations(await runtime.mailbox(), requestId);
    const request = (await runtime.api('GET', `/v1/requests/${requestId}`)).body;
    const running = await liveLifecycles(runtime.urls, runtime.stateMachineArns.serviceRequest);
    const lifecycleRunning = hasLiveLifecycle(running, requestId);
    report({
      fault: 'ses throttle, sustained 5 minutes',
      survived: copies === 1 && request.breaches.length === 1 && lifecycleRunning,
      emailsDue: 1,
      emailsLost: copies === 0 ? 1 : 0,
      duplicates: Math.max(0, copies - 1),
    });
    expect(copies, requestId).toBe(1);
    expect(request.breaches).toMatchObject([{ promise: 'response', open: true }]);
    expect(lifecycleRunning).toBe(true);
    await runtime.api('POST', `/v1/requests/${requestId}/cancel`, { reason: 'fault test done' });
  });
});
