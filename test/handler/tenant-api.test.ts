import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailbox } from '#domain/email-sender.ts';
import { storefrontSecret } from '#functions/adapters/storefront-secrets.ts';
import { getTenant } from '#functions/adapters/tenants.ts';
import { routeDocs } from '#functions/route-docs.ts';
import { API_KEY_DECISION_CACHE_SECONDS, routes } from '#functions/routes.ts';
import { demoSettings } from '#local/demo-tenant.ts';
import { contractTerms, emailsAbout, repairRequest } from '#local/driver/lifecycle.ts';
import { createOtherTenant, send, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

let runtime: TestRuntime;
let otherTenantKey: string;

beforeAll(async () => {
  runtime = await startTestRuntime();
  otherTenantKey = await createOtherTenant('other-shop');
});
afterAll(async () => {
  await runtime.dispose();
});

describe('API keys', () => {
  it('shows a new key once, stores only its hash, and stops accepting it within 30 s of its revocation', async () => {
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
    // API Gateway keeps the authorizer's decision for a key that long (functions/routes.ts).
    expect((await runtime.api('GET', '/v1/requests', undefined, { apiKey })).status).toBe(200);
    await runtime.advance(API_KEY_DECISION_CACHE_SECONDS);
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
      shopDomain: 'demo-shop.myshopify.com',
      returnKind: 'return',
    });
    expect(JSON.stringify(settings.body)).not.toContain(runtime.demo.webhookSecrets.shopify);
    expect(JSON.stringify(settings.body)).not.toContain(runtime.demo.shopifyAdminToken);

    const ladder = { levels: [{ name: 'Duty manager', recipients: ['duty@demo.example'], delayMinutes: 0 }] };
    const updated = await runtime.api('PUT', '/v1/settings', {
      escalationLadder: ladder,
      storefronts: { shopify: { returnKind: 'replacement' } },
    });
    expect(updated.status).toBe(200);
    // A merge patch: the levels are replaced, the warning fraction (not mentioned) is kept.
    expect(updated.body.escalationLadder).toEqual({ ...ladder, approachingWarningFraction: 0.75 });
    expect(updated.body.storefronts.shopify.returnKind).toBe('replacement');
    // What a change does not mention is kept: the other storefronts and their secrets, the terms.
    expect(updated.body.storefronts.woocommerce).toMatchObject({ configured: true });
    expect(updated.body.defaultTerms).toEqual(settings.body.defaultTerms);

    // What GET shows may be put back as it is (read, edit, save) and changes nothing else.
    const roundTrip = await runtime.api('PUT', '/v1/settings', { ...updated.body, name: 'Renamed Co.' });
    expect(roundTrip.status).toBe(200);
    expect(roundTrip.body).toMatchObject({ name: 'Renamed Co.', storefronts: updated.body.storefronts });

    // null disconnects a storefront; connecting one again needs its secret.
    const disconnected = await runtime.api('PUT', '/v1/settings', { storefronts: { woocommerce: null } });
    expect(disconnected.body.storefronts.woocommerce).toEqual({ configured: false });
    const needsSecret = await runtime.api('PUT', '/v1/settings', {
      storefronts: { woocommerce: { statuses: {} } },
    });
    expect(needsSecret.status).toBe(422);
    expect(needsSecret.body.error.fields).toHaveProperty(['storefronts.woocommerce.secret']);
    const badZone = await runtime.api('PUT', '/v1/settings', { timeZone: 'Mars/Olympus_Mons' });
    expect(badZone.status).toBe(422);
    expect(badZone.body.error.fields).toHaveProperty(['timeZone']);
    const unknown = await runtime.api('PUT', '/v1/settings', { colour: 'blue' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.fields).toEqual({ colour: ['not a field here'] });
    expect((await runtime.api('GET', '/v1/settings')).body.name).toBe('Renamed Co.');
  });

  it('gives feedback cases only to one of the tenant’s own staff who can work', async () => {
    // Another tenant's staff member: known to the product, not to this tenant.
    await createOtherTenant('third-shop', {
      staff: [
        ...demoSettings.staff,
        { staffId: 'elsewhere-wu', name: 'Wu', email: 'wu@third.example', roles: ['manager'], skills: [] },
      ],
    });
    const refusals = {
      'elsewhere-wu': 'no staff member who can work has the id elsewhere-wu',
      ghost: 'no staff member who can work has the id ghost',
    };
    for (const [owner, message] of Object.entries(refusals)) {
      const refused = await runtime.api('PUT', '/v1/settings', { feedbackOwnerId: owner });
      expect(refused.status).toBe(422);
      expect(refused.body.error.fields).toEqual({ feedbackOwnerId: [message] });
      const assigned = await runtime.api('POST', '/v1/feedback', {
        category: 'complaint',
        customer: { name: 'Li Lei', email: 'li.lei@customer.example' },
        content: 'The technician came a day late',
        assigneeId: owner,
      });
      expect(assigned.status).toBe(422);
      expect(assigned.body.error.fields).toEqual({
        assigneeId: ['no staff member of this tenant who can work has this id'],
      });
    }
    expect((await runtime.api('PUT', '/v1/settings', { feedbackOwnerId: 'lead-chen' })).status).toBe(200);

    // A colleague who was disabled holds nothing new: cases go to the ladder's first level instead.
    expect((await runtime.api('POST', '/v1/staff/lead-chen/disable')).status).toBe(200);
    const complaint = await runtime.api('POST', '/v1/feedback', {
      category: 'complaint',
      customer: { name: 'Li Lei', email: 'li.lei@customer.example' },
      content: 'Nobody called back',
    });
    expect(complaint.status).toBe(201);
    expect(complaint.body.assigneeId).not.toBe('lead-chen');
    const again = await runtime.api('PUT', '/v1/settings', { name: 'Demo Co.' });
    expect(again.body.error?.fields).toEqual({
      feedbackOwnerId: ['no staff member who can work has the id lead-chen'],
    });
    expect((await runtime.api('PUT', '/v1/settings', { feedbackOwnerId: null })).status).toBe(200);
    expect((await runtime.api('POST', '/v1/staff/lead-chen/enable')).status).toBe(200);
  });

  it('stores storefront secrets sealed, opens them only for this tenant, and takes none that looks sealed', async () => {
    const connected = await runtime.api('PUT', '/v1/settings', {
      storefronts: {
        shopify: {
          shopDomain: 'Other-Shop.myshopify.com',
          secret: 'a-new-app-secret-0123456789',
          adminAccessToken: 'shpat_0123456789abcdef0123',
        },
      },
    });
    expect(connected.status).toBe(200);
    expect(connected.body.storefronts.shopify.shopDomain).toBe('other-shop.myshopify.com');
    const stored = (await getTenant('demo', { consistent: true }))!;
    const shop = stored.storefronts.shopify!;
    // A table export shows no secret: only sealed values, each bound to its tenant and field.
    expect(JSON.stringify(stored)).not.toContain('a-new-app-secret-0123456789');
    expect(JSON.stringify(stored)).not.toContain('shpat_0123456789abcdef0123');
    expect(shop.secret).toMatch(/^sealed:v1:/);
    expect(await storefrontSecret(stored, 'shopify', 'secret')).toBe('a-new-app-secret-0123456789');
    expect(await storefrontSecret(stored, 'shopify', 'adminAccessToken')).toBe('shpat_0123456789abcdef0123');
    await expect(
      storefrontSecret({ ...stored, tenantId: 'another-tenant' }, 'shopify', 'secret'),
    ).rejects.toThrow();
    const copied = await runtime.api('PUT', '/v1/settings', {
      storefronts: { woocommerce: { secret: shop.secret } },
    });
    expect(copied.status).toBe(422);
    expect(copied.body.error.fields).toHaveProperty(['storefronts.woocommerce.secret']);
    const badDomain = await runtime.api('PUT', '/v1/settings', {
      storefronts: { shopify: { shopDomain: 'shop.example.com' } },
    });
    expect(badDomain.status).toBe(422);
    // Put back as it was, for the other tests.
    await runtime.api('PUT', '/v1/settings', {
      storefronts: {
        shopify: {
          shopDomain: runtime.demo.shopDomain,
          secret: runtime.demo.webhookSecrets.shopify,
          adminAccessToken: runtime.demo.shopifyAdminToken,
          returnKind: 'return',
        },
      },
    });
  });

  it('turns an optional setting off with null, and keeps it when a change leaves it out', async () => {
    const on = await runtime.api('PUT', '/v1/settings', { followUpVisitEveryDays: 30 });
    expect(on.body.followUpVisitEveryDays).toBe(30);
    expect((await runtime.api('PUT', '/v1/settings', { name: 'Demo Co.' })).body.followUpVisitEveryDays).toBe(
      30,
    );
    const off = await runtime.api('PUT', '/v1/settings', { followUpVisitEveryDays: null });
    expect(off.status).toBe(200);
    expect(off.body).not.toHaveProperty('followUpVisitEveryDays');
  });

  it('loses neither of two concurrent changes, and refuses a change made from a stale read (If-Match)', async () => {
    const read = await runtime.api('GET', '/v1/settings');
    const etag = read.headers.etag;
    expect(etag).toMatch(/^"\d+"$/);
    const [a, b] = await Promise.all([
      runtime.api('PUT', '/v1/settings', { language: 'en' }),
      runtime.api('PUT', '/v1/settings', { timeZone: 'Asia/Hong_Kong' }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const after = await runtime.api('GET', '/v1/settings');
    expect(after.body).toMatchObject({ language: 'en', timeZone: 'Asia/Hong_Kong' });
    expect(after.headers.etag).not.toBe(etag);

    const stale = await runtime.api(
      'PUT',
      '/v1/settings',
      { language: 'zh-CN' },
      { headers: { 'if-match': String(etag) } },
    );
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('PreconditionFailed');
    const fresh = await runtime.api(
      'PUT',
      '/v1/settings',
      { language: 'zh-CN', timeZone: 'Asia/Shanghai' },
      { headers: { 'if-match': String(after.headers.etag) } },
    );
    expect(fresh.status).toBe(200);
    expect(fresh.headers.etag).not.toBe(after.headers.etag);
  });

  it('configures another tenant’s storefront only with its secret', async () => {
    const otherTenant = await runtime.api(
      'PUT',
      '/v1/settings',
      { storefronts: { generic: {} } },
      { apiKey: otherTenantKey },
    );
    expect(otherTenant.status).toBe(422);
    expect(otherTenant.body.error.fields).toHaveProperty(['storefronts.generic.secret']);
  });
});

describe('working calendar', () => {
  it('refuses dates outside 1970–2099 with a 422 instead of looping (or failing) on them', async () => {
    for (const path of [
      '/v1/calendar?from=9999-12-31&to=9999-12-31',
      '/v1/calendar?from=2026-01-01&to=9999-12-31',
      '/v1/reports/satisfaction?from=2026-01-01&to=9999-12-31',
      '/v1/surveys?from=2026-01-01&to=9999-12-31',
      '/v1/calendar?from=0000-01-01&to=0000-01-02',
    ]) {
      const response = await runtime.api('GET', path);
      expect(response.status, path).toBe(422);
      expect(response.body.error.code, path).toBe('ValidationFailed');
    }
    expect((await runtime.api('GET', '/v1/health-check-after')).status).toBe(404);
  });

  it('shows each day as the deadlines count it: the tenant’s closures, make-up days, and which days are estimates', async () => {
    const saved = await runtime.api(
      'PUT',
      '/v1/settings',
      { calendar: { closures: ['2026-12-31'] } },
      { apiKey: otherTenantKey },
    );
    expect(saved.status).toBe(200);

    const yearEnd = await runtime.api('GET', '/v1/calendar?from=2026-12-30&to=2027-01-04', undefined, {
      apiKey: otherTenantKey,
    });
    expect(yearEnd.status).toBe(200);
    expect(yearEnd.body.timeZone).toBe('Asia/Shanghai');
    expect(
      yearEnd.body.days.map((d: { date: string; kind: string; estimated: boolean }) => [
        d.date,
        d.kind,
        d.estimated,
      ]),
    ).toEqual([
      ['2026-12-30', 'working_day', false],
      ['2026-12-31', 'closure', false],
      ['2027-01-01', 'public_holiday', true],
      ['2027-01-02', 'weekend', true],
      ['2027-01-03', 'weekend', true],
      ['2027-01-04', 'working_day', true],
    ]);
    const demo = (await runtime.api('GET', '/v1/calendar?from=2026-12-31&to=2026-12-31')).body;
    expect(demo.days).toEqual([{ date: '2026-12-31', working: true, kind: 'working_day', estimated: false }]);
    const makeUp = (await runtime.api('GET', '/v1/calendar?from=2026-02-14&to=2026-02-15')).body;
    expect(makeUp.days.map((d: { working: boolean; kind: string }) => [d.working, d.kind])).toEqual([
      [true, 'make_up_working_day'],
      [false, 'public_holiday'],
    ]);

    const reversed = await runtime.api('GET', '/v1/calendar?from=2027-01-04&to=2026-12-30');
    expect(reversed.status).toBe(422);
    expect(reversed.body.error.fields).toHaveProperty(['to']);
    expect((await runtime.api('GET', '/v1/calendar?from=2026-01-01&to=2027-06-01')).status).toBe(422);
    expect((await runtime.api('GET', '/v1/calendar?from=yesterday&to=2026-01-01')).status).toBe(422);
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
    // The prose and response schemas live apart from the route table: one entry per operation.
    expect(Object.keys(routeDocs).sort()).toEqual(routes.map((r) => r.operationId).sort());
    const create = document.body.paths['/v1/requests'].post.requestBody.content['application/json'].schema;
    expect(create.required).toEqual(expect.arrayContaining(['kind', 'customer', 'description']));
    expect(create.properties.kind.enum).toContain('follow_up_visit');
  });
});

describe('who the tenant’s emails come from', () => {
  /** The first email a new request causes (its staff are told of it at once). */
  const requestFrom = async (email: string) => {
    const created = await runtime.api(
      'POST',
      '/v1/requests',
      repairRequest({ customer: { name: 'Wang Fang', email } }),
    );
    expect(created.status).toBe(201);
    const { requestId } = created.body;
    expect((await runtime.api('POST', `/v1/requests/${requestId}/acknowledge`)).status).toBe(200);
    const [confirmation] = emailsAbout(await runtime.mailbox(), requestId).filter((e) =>
      e.destination.to.includes(email),
    );
    expect(confirmation, `the confirmation of ${requestId}`).toBeDefined();
    return confirmation!;
  };
  /** Senders are read at most once a minute per function instance. */
  const aMinuteLater = () => runtime.advance(61);

  it('carries the tenant’s name and Reply-To, from our domain until the tenant’s own is verified', async () => {
    const named = await runtime.api('PUT', '/v1/settings', {
      email: { fromName: '德莫电子售后服务', replyTo: 'aftersales@demo-shop.example' },
    });
    expect(named.status).toBe(200);
    expect(named.body.email).toEqual({
      fromName: '德莫电子售后服务',
      replyTo: 'aftersales@demo-shop.example',
    });
    await aMinuteLater();
    const before = await requestFrom('wang.fang.1@customer.example');
    // A Chinese name as an RFC 2047 encoded word, as SES requires.
    const encoded = `=?UTF-8?B?${Buffer.from('德莫电子售后服务').toString('base64')}?=`;
    expect(before.from).toBe(`${encoded} <service@demo.example>`);
    expect(before.replyTo).toEqual(['aftersales@demo-shop.example']);

    expect((await runtime.api('PUT', '/v1/settings/sending-domain', { domain: 'https://x' })).status).toBe(
      422,
    );
    const added = await runtime.api('PUT', '/v1/settings/sending-domain', {
      domain: 'Mail.Demo-Shop.example',
    });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ domain: 'mail.demo-shop.example', status: 'pending' });
    expect(added.body.sendsAs).toBe(`${encoded} <service@demo.example>`);
    expect(added.body.dnsRecords).toHaveLength(3);
    for (const record of added.body.dnsRecords)
      expect(record).toMatchObject({
        type: 'CNAME',
        name: expect.stringMatching(/^[0-9a-f]{32}\._domainkey\.mail\.demo-shop\.example$/),
        value: expect.stringMatching(/^[0-9a-f]{32}\.dkim\.amazonses\.com$/),
      });
    // Pending: still from ours.
    await aMinuteLater();
    expect((await requestFrom('wang.fang.2@customer.example')).from).toContain('<service@demo.example>');

    // Another tenant cannot take a domain already added, nor our own.
    for (const domain of ['mail.demo-shop.example', 'demo.example'])
      expect(
        (await runtime.api('PUT', '/v1/settings/sending-domain', { domain }, { apiKey: otherTenantKey }))
          .status,
      ).toBe(409);
    // One domain at a time.
    expect(
      (await runtime.api('PUT', '/v1/settings/sending-domain', { domain: 'other.example' })).status,
    ).toBe(409);

    // The tenant publishes its DKIM records; SES finds them.
    await send(`${runtime.urls.api}/_local/ses/identities/mail.demo-shop.example/dkim-records-published`, {
      method: 'POST',
      headers: {},
    });
    const verified = await runtime.api('GET', '/v1/settings/sending-domain');
    expect(verified.body).toMatchObject({
      status: 'verified',
      sendsAs: `${encoded} <service@mail.demo-shop.example>`,
    });
    await aMinuteLater();
    const after = await requestFrom('wang.fang.3@customer.example');
    expect(after.from).toBe(`${encoded} <service@mail.demo-shop.example>`);
    expect(after.replyTo).toEqual(['aftersales@demo-shop.example']);

    // Removed: from ours again, the SES identity deleted (another tenant may add the domain now).
    expect((await runtime.api('DELETE', '/v1/settings/sending-domain')).status).toBe(204);
    expect((await runtime.api('GET', '/v1/settings/sending-domain')).status).toBe(404);
    const taken = await runtime.api(
      'PUT',
      '/v1/settings/sending-domain',
      { domain: 'mail.demo-shop.example' },
      { apiKey: otherTenantKey },
    );
    expect(taken.status).toBe(200);
    await aMinuteLater();
    expect((await requestFrom('wang.fang.4@customer.example')).from).toContain('<service@demo.example>');
  });

  it('takes back its own domain when an earlier attempt created the identity but did not record it', async () => {
    // As if PUT had created the SES identity and then failed to store the tenant's record.
    const ses = new SESv2Client({});
    await ses.send(
      new CreateEmailIdentityCommand({
        EmailIdentity: 'recover.demo-shop.example',
        Tags: [{ Key: 'tenant', Value: runtime.demo.tenantId }],
      }),
    );
    const other = await runtime.api(
      'PUT',
      '/v1/settings/sending-domain',
      { domain: 'recover.demo-shop.example' },
      { apiKey: otherTenantKey },
    );
    expect(other.status).toBe(409);
    await runtime.api('DELETE', '/v1/settings/sending-domain');
    const retried = await runtime.api('PUT', '/v1/settings/sending-domain', {
      domain: 'recover.demo-shop.example',
    });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ domain: 'recover.demo-shop.example', status: 'pending' });
    expect(retried.body.dnsRecords).toHaveLength(3);
  });

  it('quotes an ASCII name, so the comma of “Co., Ltd.” does not split the address', () => {
    expect(mailbox('Demo Electronics Co., Ltd.', 'service@demo.example')).toBe(
      '"Demo Electronics Co., Ltd." <service@demo.example>',
    );
    expect(mailbox('A "quoted" \\ name', 'a@b.example')).toBe('"A \\"quoted\\" \\\\ name" <a@b.example>');
  });
});
