import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionReport, repairRequest } from '../support/lifecycle.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/** 3.1c: periodic follow-up visits, opened by the daily schedule on the runtime's clock. */
let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime({ startAt: new Date('2026-03-02T01:00:00.000Z') });
});
afterAll(async () => {
  await runtime.dispose();
});

describe('follow-up visits', () => {
  it('opens one follow-up visit for a served customer when the tenant’s period has passed, and not twice', async () => {
    const settings = (await runtime.api('GET', '/v1/settings')).body;
    const { storefronts: _s, tenantId: _t, createdAt: _c, ...editable } = settings;
    const updated = await runtime.api('PUT', '/v1/settings', {
      ...editable,
      followUpVisitEveryDays: 30,
      storefronts: {},
    });
    expect(updated.status).toBe(200);

    const customer = { name: 'Qian Yu', email: 'qian.yu@customer.example' };
    const { requestId } = (await runtime.api('POST', '/v1/requests', repairRequest({ customer }))).body;
    await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`);
    const now = new Date(Date.now());
    await runtime.api('POST', `/v1/requests/${requestId}/complete`, {
      ...completionReport(now, now),
      staffIds: ['tech-wang'],
    });

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
  });
});
