import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionReport, emailsAbout, repairRequest } from '#local/driver/lifecycle.ts';
import { bounceRecord, complaintRecord } from '../fixtures/ses/events.ts';
import { send, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * Email at volume: SES's bounce and complaint events (as published through SNS) suppress the
 * address, show on what the email was about, and send its staff to reach the customer another
 * way; nothing more goes to that address.
 */
let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(async () => {
  await runtime.dispose();
});

async function publish(record: unknown) {
  const response = await send(`${runtime.urls.api}/_local/ses/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(record),
  });
  expect(response.status).toBe(202);
  await runtime.settled();
}

async function acknowledgedRequest(email: string): Promise<string> {
  const created = await runtime.api(
    'POST',
    '/v1/requests',
    repairRequest({ customer: { name: 'Qian Yi', email }, assigneeId: 'agent-li' }),
  );
  await runtime.api('POST', `/v1/requests/${created.body.requestId}/acknowledge`);
  return created.body.requestId;
}

describe('SES bounces and complaints', () => {
  it('tags every send with its tenant and subject, as SES publishes them back with each event', async () => {
    const requestId = await acknowledgedRequest('tagged@customer.example');
    const sent = runtime.faults
      .recentRequests('ses')
      .map((body) => JSON.parse(body) as { Destination?: { ToAddresses?: string[] }; EmailTags?: unknown })
      .find((body) => body.Destination?.ToAddresses?.includes('tagged@customer.example'));
    expect(sent?.EmailTags).toEqual([
      { Name: 'tenant', Value: 'demo' },
      { Name: 'subject', Value: requestId },
    ]);
  });

  it('a permanent bounce: shown on the request, its staff told to reach the customer another way, nothing more sent to it', async () => {
    const address = 'gone@customer.example';
    const requestId = await acknowledgedRequest(address);
    await publish(bounceRecord(address, { tenant: 'demo', subject: requestId }));

    const request = (await runtime.api('GET', `/v1/requests/${requestId}`)).body;
    expect(request.customerEmailUndeliverable).toMatchObject({ address, reason: 'bounce' });
    expect(request.timeline.map((e: { type: string }) => e.type)).toContain('customer_email_undeliverable');
    const told = emailsAbout(await runtime.mailbox(), requestId).filter((e) =>
      e.subject.startsWith('请通过其他方式联系客户'),
    );
    // To the assignee (agent-li), once.
    expect(told.map((e) => e.destination.to)).toEqual([['li.na@demo.example']]);

    // SNS delivers again: nothing changes.
    await publish(bounceRecord(address, { tenant: 'demo', subject: requestId }));
    const again = (await runtime.api('GET', `/v1/requests/${requestId}`)).body;
    expect(
      again.timeline.filter((e: { type: string }) => e.type === 'customer_email_undeliverable'),
    ).toHaveLength(1);
    expect(
      emailsAbout(await runtime.mailbox(), requestId).filter((e) =>
        e.subject.startsWith('请通过其他方式联系客户'),
      ),
    ).toHaveLength(1);

    // The service record is not sent to the address; the timeline says so.
    const before = (await runtime.mailbox()).filter((e) => e.destination.to.includes(address)).length;
    const at = runtime.clock.now();
    await runtime.api('POST', `/v1/requests/${requestId}/complete`, {
      ...completionReport(at, at),
      staffIds: ['tech-wang'],
    });
    expect((await runtime.mailbox()).filter((e) => e.destination.to.includes(address))).toHaveLength(before);
    const delivered = (await runtime.api('GET', `/v1/requests/${requestId}`)).body.timeline.find(
      (e: { type: string }) => e.type === 'service_record_delivered',
    );
    expect(delivered.details.emailRejected).toMatch(/^suppressed: gone@customer\.example \(bounce/);
  });

  it('a complaint suppresses the address too; a transient bounce does not', async () => {
    const complaining = await acknowledgedRequest('spam-button@customer.example');
    await publish(complaintRecord('spam-button@customer.example', { tenant: 'demo', subject: complaining }));
    expect(
      (await runtime.api('GET', `/v1/requests/${complaining}`)).body.customerEmailUndeliverable,
    ).toMatchObject({
      reason: 'complaint',
      detail: 'abuse',
    });

    const busy = await acknowledgedRequest('mailbox-full@customer.example');
    await publish(
      bounceRecord('mailbox-full@customer.example', { tenant: 'demo', subject: busy }, 'Transient'),
    );
    expect(
      (await runtime.api('GET', `/v1/requests/${busy}`)).body.customerEmailUndeliverable,
    ).toBeUndefined();
  });
});
