import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSlaTerms } from '../../domain/contract.ts';
import { mintApiKey } from '../../functions/adapters/api-keys.ts';
import { createApiKey, createTenant } from '../../functions/adapters/tenants.ts';
import { routes } from '../../functions/routes.ts';
import { demoSettings } from '../../local/demo-tenant.ts';
import { repairRequest } from '../support/lifecycle.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

let runtime: TestRuntime;
let otherTenantKey: string;

beforeAll(async () => {
  runtime = await startTestRuntime();
  await createTenant({ tenantId: 'other-shop', createdAt: new Date().toISOString(), ...demoSettings });
  const { apiKey, stored } = mintApiKey('other-shop', 'admin', new Date());
  await createApiKey(stored);
  otherTenantKey = apiKey;
});
afterAll(async () => {
  await runtime.dispose();
});

const contractTerms = (responseHours: number) => ({
  contractNumber: 'HT-2026-018',
  provider: {
    companyName: 'Demo Electronics Co., Ltd.',
    address: 'Shanghai',
    contact: 'service@demo.example',
  },
  customer: { companyName: 'Great Wall Hotels', address: 'Beijing', contact: 'procurement@gwh.example' },
  effectiveDate: '2026-01-01',
  termYears: 1,
  totalAmount: 500000,
  currency: 'CNY',
  sla: { ...defaultSlaTerms, responseHours },
  liquidatedDamagesRatePercent: 5,
  lateFeeRatePercent: 0.05,
  confidentialityYears: 3,
  language: 'zh-CN',
});

describe('API keys', () => {
  it('shows a new key once, stores only its hash, and stops accepting it once revoked', async () => {
    const created = await runtime.api('POST', '/v1/api-keys', { role: 'agent', staffId: 'agent-li' });
    expect(created.status).toBe(201);
    const { apiKey, keyId } = created.body;
    expect(apiKey).toMatch(new RegExp(`^ak_demo_${keyId}_[0-9a-f]{64}$`));

    const listed = await runtime.api('GET', '/v1/api-keys');
    const entry = listed.body.items.find((k: { keyId: string }) => k.keyId === keyId);
    expect(entry).toMatchObject({ keyId, role: 'agent' });
    expect(JSON.stringify(listed.body)).not.toContain(apiKey.split('_').at(-1));
    expect(entry.secretHash).toBeUndefined();

    expect((await runtime.api('GET', '/v1/requests', undefined, { apiKey })).status).toBe(200);
    expect((await runtime.api('POST', '/v1/api-keys', { role: 'admin' }, { apiKey })).status).toBe(403);
    expect((await runtime.api('DELETE', `/v1/api-keys/${keyId}`)).status).toBe(200);
    expect((await runtime.api('GET', '/v1/requests', undefined, { apiKey })).status).toBe(403);
    expect(
      (await runtime.api('DELETE', `/v1/api-keys/${keyId}`, undefined, { apiKey: otherTenantKey })).status,
    ).toBe(404);
  });
});

describe('settings', () => {
  it('never returns storefront secrets, and needs a secret the first time a storefront is configured', async () => {
    const settings = await runtime.api('GET', '/v1/settings');
    expect(settings.status).toBe(200);
    expect(settings.body.storefronts.shopify).toEqual({
      configured: true,
      topics: { 'returns/request': 'return' },
    });
    expect(JSON.stringify(settings.body)).not.toContain(runtime.demo.webhookSecrets.shopify);

    const { storefronts: _s, tenantId: _t, createdAt: _c, ...editable } = settings.body;
    const ladder = { levels: [{ name: 'Duty manager', recipients: ['duty@demo.example'], delayMinutes: 0 }] };
    const updated = await runtime.api('PUT', '/v1/settings', {
      ...editable,
      escalationLadder: ladder,
      storefronts: { shopify: { topics: { 'returns/request': 'return', 'refunds/create': 'return' } } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.escalationLadder).toEqual(ladder);
    expect(updated.body.storefronts.shopify.topics['refunds/create']).toBe('return');

    // PUT replaces: an omitted storefront is removed, and one that is configured keeps its secret.
    const kept = await runtime.api('PUT', '/v1/settings', {
      ...editable,
      storefronts: { shopify: { topics: {} } },
    });
    expect(kept.body.storefronts).toEqual({
      shopify: { configured: true, topics: {} },
      woocommerce: { configured: false },
      generic: { configured: false },
    });
    const needsSecret = await runtime.api('PUT', '/v1/settings', {
      ...editable,
      storefronts: { woocommerce: { statuses: {} } },
    });
    expect(needsSecret.status).toBe(422);
    const badZone = await runtime.api('PUT', '/v1/settings', {
      ...editable,
      timeZone: 'Mars/Olympus_Mons',
      storefronts: {},
    });
    expect(badZone.status).toBe(422);
    expect(badZone.body.error.fields).toHaveProperty(['timeZone']);
    const otherTenant = await runtime.api(
      'PUT',
      '/v1/settings',
      { ...editable, storefronts: { generic: {} } },
      { apiKey: otherTenantKey },
    );
    expect(otherTenant.status).toBe(422);
    expect(otherTenant.body.error.fields).toHaveProperty(['storefronts.generic.secret']);
  });
});

describe('contracts (9.2, 11.1)', () => {
  it('puts a version in force only when both parties confirmed it, and judges requests by it', async () => {
    expect(
      (await runtime.api('POST', '/v1/contracts', { contractId: 'gwh-2026', terms: contractTerms(4) }))
        .status,
    ).toBe(201);
    const unconfirmed = await runtime.api('POST', '/v1/requests', repairRequest({ contractId: 'gwh-2026' }));
    expect(unconfirmed.status).toBe(422);

    await runtime.api('POST', '/v1/contracts/gwh-2026/versions/1/confirm', { party: 'provider' });
    expect(
      (await runtime.api('POST', '/v1/contracts/gwh-2026/versions/1/confirm', { party: 'customer' })).status,
    ).toBe(422);
    const confirmed = await runtime.api('POST', '/v1/contracts/gwh-2026/versions/1/confirm', {
      party: 'customer',
      evidence: 'signed PDF HT-2026-018',
    });
    expect(confirmed.body.inForceVersion).toBe(1);

    const judged = (await runtime.api('POST', '/v1/requests', repairRequest({ contractId: 'gwh-2026' })))
      .body;
    expect(judged.terms).toMatchObject({ contractId: 'gwh-2026', contractVersion: 1, responseHours: 4 });
    expect(new Date(judged.deadlines.response).getTime() - new Date(judged.receivedAt).getTime()).toBe(
      4 * 3_600_000,
    );

    // An amendment one party alone confirmed changes nothing (no unilateral change).
    await runtime.api('POST', '/v1/contracts/gwh-2026/versions', { terms: contractTerms(1) });
    await runtime.api('POST', '/v1/contracts/gwh-2026/versions/2/confirm', { party: 'provider' });
    const view = (await runtime.api('GET', '/v1/contracts/gwh-2026')).body;
    expect(view.inForceVersion).toBe(1);
    expect(view.versions.map((v: { status: string }) => v.status)).toEqual([
      'in_force',
      'awaiting_confirmation',
    ]);

    expect(
      (await runtime.api('GET', '/v1/contracts/gwh-2026', undefined, { apiKey: otherTenantKey })).status,
    ).toBe(404);

    expect(
      (await runtime.api('POST', '/v1/contracts/gwh-2026/terminate', { ground: 'mutual_agreement' })).status,
    ).toBe(200);
    expect(
      (await runtime.api('POST', '/v1/requests', repairRequest({ contractId: 'gwh-2026' }))).status,
    ).toBe(422);
  });
});

describe('OpenAPI', () => {
  it('documents exactly the routes that exist, with request bodies from the zod schemas', async () => {
    const document = await runtime.api('GET', '/v1/openapi.json', undefined, { apiKey: null });
    expect(document.status).toBe(200);
    expect(document.body.openapi).toBe('3.1.0');
    const documented = Object.entries(document.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    const create = document.body.paths['/v1/requests'].post.requestBody.content['application/json'].schema;
    expect(create.required).toEqual(expect.arrayContaining(['kind', 'customer', 'description']));
    expect(create.properties.kind.enum).toContain('follow_up_visit');
  });
});
