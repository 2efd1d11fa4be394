import { afterAll, describe, expect, it } from 'vitest';
import { emailsAbout, recipients, repairRequest } from '#local/driver/lifecycle.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * Stop and start again on the same data directory and ports: the data is still there, and
 * an open lifecycle resumes with the time it has left (a request 90 minutes old escalates 30
 * minutes after the restart, not 2 hours).
 */
let runtime: TestRuntime | undefined;
afterAll(async () => {
  await runtime?.dispose();
});

describe('restart', () => {
  it('keeps data and resumes an open lifecycle with the right remaining time', async () => {
    const first = await startTestRuntime();
    const { requestId } = (await first.api('POST', '/v1/requests', repairRequest())).body;
    // One email before the stop: the customer's confirmation of another request.
    const other = (await first.api('POST', '/v1/requests', repairRequest())).body.requestId;
    await first.api('POST', `/v1/requests/${other}/acknowledge`);
    const mailBefore = await first.mailbox();
    expect(mailBefore).toHaveLength(1);
    await first.advance(90 * 60);
    const ports = {
      http: Number(new URL(first.urls.api).port),
      dynamodb: Number(new URL(first.urls.dynamodb).port),
      ses: Number(new URL(first.urls.ses).port),
      stepFunctions: Number(new URL(first.urls.stepFunctions).port),
      sqs: Number(new URL(first.urls.sqs).port),
      // The handlers' SDK clients live on in this process: same endpoints.
      handlerSide: {
        dynamodb: Number(new URL(first.urls.handlerSide.dynamodb).port),
        ses: Number(new URL(first.urls.handlerSide.ses).port),
        stepFunctions: Number(new URL(first.urls.handlerSide.stepFunctions).port),
        shopify: Number(new URL(first.urls.handlerSide.shopify).port),
        scheduler: Number(new URL(first.urls.handlerSide.scheduler).port),
      },
    };
    await first.dispose({ keepData: true });

    runtime = await startTestRuntime({ dataDir: first.dataDir, ports });
    expect(runtime.clock.now().toISOString()).toBe('2026-03-02T02:30:00.000Z');
    expect(runtime.demo.apiKey).toBe(first.demo.apiKey);
    // The mailbox holds every email the system ever sent, across restarts.
    expect(await runtime.mailbox()).toEqual(mailBefore);
    const stored = await runtime.api('GET', `/v1/requests/${requestId}`);
    expect(stored.status).toBe(200);
    expect(stored.body.status).toBe('received');

    await runtime.advance(30 * 60);
    expect(emailsAbout(await runtime.mailbox(), requestId)).toEqual([]);
    await runtime.advance(1);
    expect(recipients(emailsAbout(await runtime.mailbox(), requestId))).toEqual(['team-lead@demo.example']);
  });
});
