import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSlaTerms } from '#domain/contract.ts';
import { holdMail } from '#functions/adapters/conversations.ts';
import { recordDataRequest } from '#functions/adapters/customer-data.ts';
import { getPeriodicSurvey, insertPeriodicSurvey } from '#functions/adapters/periodic-surveys.ts';
import { routes } from '#functions/routes.ts';
import { completedRequest } from '#local/driver/lifecycle.ts';
import { createOtherTenant, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * Clause 12: tenants never see each other's data. For every API-key route that names an
 * object, another tenant's admin key gets 404 (never 403: no existence leak) and changes nothing.
 */
let runtime: TestRuntime;
let intruderKey: string;
const objects: Record<string, string> = {};

beforeAll(async () => {
  runtime = await startTestRuntime();
  intruderKey = await createOtherTenant('intruder');

  // One object of every kind in the demo tenant.
  objects.requestId = await completedRequest(runtime);
  objects.feedbackId = (
    await runtime.api('POST', '/v1/feedback', {
      category: 'opinion',
      customer: { name: 'A', email: 'a@customer.example' },
      content: 'x',
    })
  ).body.feedbackId;
  objects.keyId = (await runtime.api('POST', '/v1/api-keys', { role: 'agent' })).body.keyId;
  objects.heldId = `msg_in${'0'.repeat(20)}`;
  await holdMail('demo', {
    heldId: objects.heldId,
    at: new Date().toISOString(),
    reason: 'unknown-sender',
    from: 'stranger@elsewhere.example',
    to: ['reply+aaaaaaaaaaaaaaaaaaaa@demo.example'],
    emailSubject: 'hello',
    subjectId: objects.requestId,
    text: 'held',
    attachments: [],
  });
  objects.surveyId = 'ps_isolation';
  const invitedAt = new Date();
  await insertPeriodicSurvey({
    tenantId: 'demo',
    surveyId: objects.surveyId,
    customer: { name: 'B', email: 'b@customer.example' },
    language: 'en',
    invitedAt: invitedAt.toISOString(),
    reminderAt: new Date(invitedAt.getTime() + 3 * 86_400_000).toISOString(),
    expiresAt: new Date(invitedAt.getTime() + 14 * 86_400_000).toISOString(),
  });
  const terms = {
    contractNumber: 'C-1',
    provider: { companyName: 'P', address: 'A', contact: 'c' },
    customer: { companyName: 'C', address: 'A', contact: 'c' },
    effectiveDate: '2026-01-01',
    termYears: 1,
    totalAmount: 1,
    sla: defaultSlaTerms,
    liquidatedDamagesRatePercent: 1,
    lateFeeRatePercent: 1,
    confidentialityYears: 1,
  };
  bodies.versions = { terms };
  objects.contractId = 'c-isolation';
  await runtime.api('POST', '/v1/contracts', { contractId: objects.contractId, terms });
  objects.version = '1';
  // The customer of the demo's requests (the intruder's tenant has none of theirs).
  objects.email = 'zhang.san@customer.example';
  objects.dataRequestId = 'shopify-isolation';
  // A staff member only the demo tenant has (the intruder's tenant copies the demo's staff).
  objects.staffId = 'demo-only';
  await runtime.api('POST', '/v1/staff', {
    staffId: objects.staffId,
    name: 'Only Here',
    email: 'only.here@demo.example',
    roles: ['agent'],
  });
  await recordDataRequest(
    'demo',
    {
      dataRequestId: objects.dataRequestId,
      source: 'shopify',
      receivedAt: invitedAt.toISOString(),
      email: 'b@customer.example',
      subjects: 0,
    },
    invitedAt,
  );
});
afterAll(async () => {
  await runtime.dispose();
});

const bodies: Record<string, unknown> = {
  dispatch: { technicianId: 'tech-wang', mode: 'remote' },
  complete: {
    workDone: 'x',
    startedAt: '2026-03-02T01:00:00Z',
    endedAt: '2026-03-02T02:00:00Z',
    restoredToNormalUse: true,
  },
  cancel: { reason: 'x' },
  assign: { staffId: 'tech-wang' },
  customer: { name: 'Intruder', email: 'intruder@example.com' },
  survey: { serviceScore: 1, goodsScore: 1, recommendScore: 0 },
  answer: { serviceScore: 1, goodsScore: 1, recommendScore: 0 },
  resolve: { result: 'x' },
  confirm: { party: 'provider' },
  terminate: { ground: 'breach' },
  'payment-schedule': { installments: [{ dueDate: '2026-04-01', amount: '1.00' }] },
  payments: { paidOn: '2026-03-01', amount: '1.00', reference: 'intruder' },
  notes: { text: 'intruder' },
  replies: { text: 'intruder' },
};
/** Valid queries where a route needs one: the lookup, not the query, must refuse. */
const queries: Record<string, string> = { statement: '?from=2026-03-01&to=2026-03-31' };

describe('tenant isolation', () => {
  const objectRoutes = routes.filter((r) => r.auth === 'apiKey' && /\{\w+\}/.test(r.path));

  it('covers every API-key route that names an object', () => {
    expect(objectRoutes.length).toBeGreaterThanOrEqual(12);
    for (const route of objectRoutes) {
      for (const [, name] of route.path.matchAll(/\{(\w+)\}/g))
        expect(objects, route.path).toHaveProperty(name!);
    }
  });

  it('answers 404 to another tenant’s key on every such route, and the objects are unchanged', async () => {
    const before = JSON.stringify((await runtime.api('GET', `/v1/requests/${objects.requestId}`)).body);
    for (const route of objectRoutes) {
      const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => objects[name]!);
      const action = path.split('/').at(-1)!;
      const response = await runtime.api(
        route.method,
        path + (queries[action] ?? ''),
        route.method === 'POST' || route.method === 'PUT' ? (bodies[action] ?? {}) : undefined,
        { apiKey: intruderKey },
      );
      expect(response.status, `${route.method} ${route.path}`).toBe(404);
    }
    expect(JSON.stringify((await runtime.api('GET', `/v1/requests/${objects.requestId}`)).body)).toBe(before);
    expect((await runtime.api('GET', `/v1/feedback/${objects.feedbackId}`)).body.status).toBe('open');
    expect(
      (await runtime.api('GET', `/v1/requests/${objects.requestId}/conversation`)).body.messages,
    ).toEqual([]);
    expect(
      (await runtime.api('GET', '/v1/held-mail')).body.items.map((h: { heldId: string }) => h.heldId),
    ).toEqual([objects.heldId]);
    expect((await getPeriodicSurvey('demo', objects.surveyId!))?.answeredAt).toBeUndefined();
    expect((await runtime.api('GET', `/v1/contracts/${objects.contractId}`)).body.terminated).toBe(false);
    expect(
      (await runtime.api('GET', '/v1/api-keys')).body.items.find(
        (k: { keyId: string }) => k.keyId === objects.keyId,
      ).revokedAt,
    ).toBeUndefined();
  });

  it('lists and reports only the caller’s own tenant', async () => {
    expect(
      (await runtime.api('GET', '/v1/requests?status=completed', undefined, { apiKey: intruderKey })).body
        .items,
    ).toEqual([]);
    expect(
      (await runtime.api('GET', '/v1/api-keys', undefined, { apiKey: intruderKey })).body.items.map(
        (k: { keyId: string }) => k.keyId,
      ),
    ).not.toContain(objects.keyId);
    const report = (
      await runtime.api('GET', '/v1/reports/satisfaction?from=2026-01-01&to=2026-12-31', undefined, {
        apiKey: intruderKey,
      })
    ).body;
    expect(report.rows).toEqual([]);
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const surveys = await runtime.api('GET', `/v1/surveys?from=${day(-30)}&to=${day(1)}`, undefined, {
      apiKey: intruderKey,
    });
    expect(surveys.status).toBe(200);
    expect(surveys.body.items).toEqual([]);
  });
});
