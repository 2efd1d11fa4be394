import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completedRequest, contractTerms, repairRequest } from '#local/driver/lifecycle.ts';
import { invokeFunction } from '#local/lambda.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { everyItem, itemsMentioning } from '../support/table.ts';

/**
 * Clause 12 on the virtual clock: the daily run anonymizes a customer the tenant's retention
 * period after the last promise that needs their details, not a day before, keeps those still
 * served, and deletes a contract's data once its confidentiality term after its end is over.
 */
let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime({ startAt: new Date('2026-03-02T01:00:00.000Z') });
});
afterAll(async () => {
  await runtime.dispose();
});

const DAY = 86_400;
const requestOf = async (requestId: string) => (await runtime.api('GET', `/v1/requests/${requestId}`)).body;
const dailyRun = () => invokeFunction('campaigns', { tenantId: 'demo' }) as Promise<Record<string, number>>;

describe('retention of personal data (12.2)', () => {
  it('anonymizes a served customer 30 days after their warranty ended, and keeps one still being served', async () => {
    expect((await runtime.api('PUT', '/v1/settings', { personalDataRetentionDays: 30 })).status).toBe(200);
    // Goods delivered in March 2025: the 12-month warranty ends 1 March 2026, before this request.
    const served = { name: 'Gao Yan', email: 'gao.yan@customer.example', phone: '+86 137 0000 1111' };
    const done = await completedRequest(runtime, { customer: served, deliveryDate: '2025-03-01' });
    // Another customer's request nobody acts on: open, so never anonymized.
    const waiting = { name: 'He Jun', email: 'he.jun@customer.example' };
    const open = await runtime.api('POST', '/v1/requests', repairRequest({ customer: waiting }));
    expect(open.status).toBe(201);

    // Its survey window (14 days) closes it; 30 days after that its customer is no longer needed.
    await runtime.advance(14 * DAY + 3600);
    expect((await requestOf(done)).status).toBe('closed');
    const closedAt = Date.parse((await requestOf(done)).closedAt);
    await runtime.advance(
      Math.floor((closedAt + 30 * DAY * 1000 - runtime.clock.now().getTime()) / 1000) - 2 * DAY,
    );
    expect((await requestOf(done)).customer.email).toBe(served.email);

    await runtime.advance(3 * DAY);
    const after = await requestOf(done);
    expect(after.customer.name).toBe('[erased]');
    expect(after.serviceRecord).toBeDefined();
    expect(after.closedAt).toBe(new Date(closedAt).toISOString());
    expect(itemsMentioning(await everyItem(runtime), [served.email, served.name, served.phone])).toEqual([]);
    expect((await requestOf(open.body.requestId)).customer).toEqual(waiting);

    // What a run did is what it reports: nothing left to anonymize today.
    const outcome = await dailyRun();
    expect(outcome).toMatchObject({ customersAnonymized: 0, failures: 0 });
    // The anonymization is on the access trail, under the retention's name.
    const days = [0, 1, 2, 3].map((d) =>
      new Date(runtime.clock.now().getTime() - d * DAY * 1000).toISOString().slice(0, 10),
    );
    const entries = (
      await Promise.all(days.map((date) => runtime.api('GET', `/v1/access-trail?date=${date}&limit=200`)))
    ).flatMap((page) => page.body.items);
    expect(entries).toContainEqual(
      expect.objectContaining({
        actor: 'retention',
        operation: 'eraseCustomer',
        subjects: expect.arrayContaining([done]),
      }),
    );
  });
});

describe('retention of contract data (12.1)', () => {
  it('deletes a contract once its confidentiality term after its end is over, and keeps one in force', async () => {
    const ended = {
      ...contractTerms(2),
      contractNumber: 'HT-2019-001',
      effectiveDate: '2020-01-01',
      confidentialityYears: 3,
    };
    expect((await runtime.api('POST', '/v1/contracts', { contractId: 'old', terms: ended })).status).toBe(
      201,
    );
    expect(
      (await runtime.api('POST', '/v1/contracts', { contractId: 'current', terms: contractTerms(2) })).status,
    ).toBe(201);
    expect((await runtime.api('GET', '/v1/contracts/old')).status).toBe(200);

    const outcome = await dailyRun();
    expect(outcome.contractsDeleted).toBe(1);
    expect((await runtime.api('GET', '/v1/contracts/old')).status).toBe(404);
    expect((await runtime.api('GET', '/v1/contracts/current')).status).toBe(200);
    expect((await dailyRun()).contractsDeleted).toBe(0);
  });
});
