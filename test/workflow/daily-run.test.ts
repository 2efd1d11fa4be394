import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys, putItem } from '#functions/adapters/table.ts';
import { DAILY_RUN_QUEUE } from '#functions/catalog.ts';
import { completedRequest } from '#local/driver/lifecycle.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** The daily run fans out: one queued run per tenant, so one tenant that fails stops no other. */
let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime({ startAt: new Date('2026-03-02T01:00:00.000Z') });
});
afterAll(async () => {
  await runtime.dispose();
});

describe('the daily run, one tenant at a time', () => {
  it('runs every other tenant when one fails, tries that one again and then dead-letters it', async () => {
    // A tenant whose record cannot be worked with (no calendar: written by hand, not by the API).
    await putItem({
      ...keys.tenant('broken-tenant'),
      gsi2pk: 'TENANTS',
      gsi2sk: 'broken-tenant',
      tenantId: 'broken-tenant',
      name: 'Broken',
    });
    expect((await runtime.api('PUT', '/v1/settings', { followUpVisitEveryDays: 30 })).status).toBe(200);
    const customer = { name: 'Sun Li', email: 'sun.li@customer.example' };
    await completedRequest(runtime, { customer });

    await runtime.advance(31 * 86_400);
    const visits = (await runtime.api('GET', '/v1/requests?limit=100')).body.items.filter(
      (r: { kind: string; customer: { email: string } }) =>
        r.kind === 'follow_up_visit' && r.customer.email === customer.email,
    );
    expect(visits).toHaveLength(1);

    // Every day's message of the broken tenant was tried maxReceiveCount times, then set aside.
    const deadLetters = runtime.dailyRunDeadLetters();
    expect(deadLetters.length).toBeGreaterThanOrEqual(30);
    for (const letter of deadLetters) {
      expect(JSON.parse(letter.body)).toEqual({ tenantId: 'broken-tenant' });
      expect(letter.attributes.ApproximateReceiveCount).toBe(String(DAILY_RUN_QUEUE.maxReceiveCount));
    }
  });
});
