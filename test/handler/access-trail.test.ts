import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repairRequest } from '#local/driver/lifecycle.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * Clause 12: every answer that shows staff a customer's personal data is on the access trail
 * (who, when, which operation, which records), which an admin can list and which holds no
 * personal data itself.
 */
let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime({ startAt: new Date('2026-03-02T01:00:00.000Z') });
});
afterAll(async () => {
  await runtime.dispose();
});

const customer = { name: '赵敏', email: 'zhao.min@customer.example', phone: '+86 138 0013 8000' };

describe('the access trail (12)', () => {
  it('records who was shown which customer records, and holds none of their personal data', async () => {
    const agent = (await runtime.api('POST', '/v1/api-keys', { role: 'agent', staffId: 'agent-li' })).body
      .apiKey;
    const created = await runtime.api('POST', '/v1/requests', repairRequest({ customer }));
    const { requestId } = created.body;

    expect((await runtime.api('GET', `/v1/requests/${requestId}`, undefined, { apiKey: agent })).status).toBe(
      200,
    );
    const listed = await runtime.api('GET', '/v1/requests', undefined, { apiKey: agent });
    expect(listed.body.items.map((r: { requestId: string }) => r.requestId)).toContain(requestId);
    expect(
      (await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`, undefined, { apiKey: agent }))
        .status,
    ).toBe(200);
    // Not shown (404): nothing to record.
    expect(
      (await runtime.api('GET', '/v1/requests/sr_doesnotexist', undefined, { apiKey: agent })).status,
    ).toBe(404);

    expect(
      (await runtime.api('GET', '/v1/access-trail?date=2026-03-02', undefined, { apiKey: agent })).status,
    ).toBe(403);
    const trail = await runtime.api('GET', '/v1/access-trail?date=2026-03-02');
    expect(trail.status).toBe(200);
    const byAgent = trail.body.items.filter((e: { actor: string }) => e.actor === 'agent-li');
    expect(
      byAgent.map((e: { operation: string; subjects: string[] }) => [
        e.operation,
        e.subjects.includes(requestId),
      ]),
    ).toEqual([
      ['getRequest', true],
      ['listRequests', true],
      ['acknowledgeRequest', true],
    ]);
    expect(byAgent[0]).toMatchObject({ role: 'agent', subjects: [requestId] });
    expect(byAgent[0].at.slice(0, 10)).toBe('2026-03-02');
    const text = JSON.stringify(trail.body);
    for (const value of Object.values(customer)) expect(text).not.toContain(value);

    // Another day's trail is another page of its own.
    expect((await runtime.api('GET', '/v1/access-trail?date=2026-03-03')).body.items).toEqual([]);
  });
});
