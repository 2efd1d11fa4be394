import { createHmac, randomUUID } from 'node:crypto';
import '@shopify/shopify-api/adapters/node';
import { ApiVersion, shopifyApi } from '@shopify/shopify-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestIdOfReturn } from '#functions/storefronts/shopify.ts';
import { lifecycleHistory } from '#infra/operator/tenants.ts';
import {
  anotherReturn,
  customersDataRequestSample,
  customersRedactSample,
  returnsCancelSample,
  returnsCloseSample,
  returnsDeclineSample,
  returnsRequestSample,
  shopRedactSample,
} from '#local/samples/storefronts/shopify.ts';
import { shopifyDeliveryHeaders } from '#local/samples/storefronts/signed.ts';
import { orderLikeTheSample } from '#local/shopify-demo-shop.ts';
import { send, startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { everyItem, itemsMentioning } from '../support/table.ts';

/**
 * Shopify as it really delivers: the published `returns/request` sample (ids only), signed as
 * Shopify signs it, becomes a request at once; its customer and items come from the shop's Admin
 * GraphQL API (the local stand-in, local/shopify.ts), through faults the stand-in's proxy injects.
 */
let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(async () => {
  await runtime.dispose();
});

const base64Hmac = (secret: string, body: string) =>
  createHmac('sha256', secret).update(body).digest('base64');

/** The headers Shopify sends with a webhook, signed with the demo shop's secret. */
function shopifyHeaders(body: string, topic: string, overrides: Record<string, string> = {}) {
  const { webhookSecrets, shopDomain } = runtime.demo;
  return {
    ...shopifyDeliveryHeaders(
      { secret: webhookSecrets.shopify, shopDomain, topic, triggeredAt: runtime.clock.now() },
      body,
    ),
    ...overrides,
  };
}

async function deliver(
  payload: unknown,
  topic = 'returns/request',
  overrides: Record<string, string> = {},
  tenant = 'demo',
) {
  const body = JSON.stringify(payload);
  const response = await send(`${runtime.urls.api}/v1/webhooks/${tenant}/shopify`, {
    method: 'POST',
    headers: shopifyHeaders(body, topic, overrides),
    body,
  });
  await runtime.settled();
  return { status: response.status, body: JSON.parse(response.text) };
}

const requestOf = async (requestId: string) => (await runtime.api('GET', `/v1/requests/${requestId}`)).body;

/**
 * A delivery is answered 202 once it is kept (storage first, #33) and made a request from the
 * inbox (the settle above); the request of return `n` is named after the return.
 */
const requestIdOf = (n: number) => requestIdOfReturn('demo', `gid://shopify/Return/${n}`);

/** A return in the demo shop, numbered `n`, with a customer of its own. */
function shopHasReturn(n: number, name = { firstName: 'Lei', lastName: 'Li' }) {
  runtime.shopify.addOrder(
    runtime.demo.shopDomain,
    orderLikeTheSample(n, { ...name, email: `customer.${n}@customer.example`, locale: 'en' }),
  );
}

describe('Shopify returns', () => {
  it('turns the published returns/request sample into a request with the demo shop’s customer and items', async () => {
    const body = JSON.stringify(returnsRequestSample);
    const headers = shopifyHeaders(body, 'returns/request');
    // Signed as Shopify signs: Shopify's own library accepts the delivery.
    const shopify = shopifyApi({
      apiKey: 'demo-app',
      apiSecretKey: runtime.demo.webhookSecrets.shopify,
      hostName: 'aftersales.example',
      apiVersion: ApiVersion.October26,
      isEmbeddedApp: false,
      logger: { log: async () => undefined },
    });
    const validation = await shopify.webhooks.validate({
      rawBody: body,
      rawRequest: { headers, method: 'POST', url: '/v1/webhooks/demo/shopify' },
      rawResponse: {},
    } as never);
    expect(validation).toMatchObject({
      valid: true,
      topic: 'RETURNS_REQUEST',
      domain: runtime.demo.shopDomain,
    });

    const response = await send(`${runtime.urls.api}/v1/webhooks/demo/shopify`, {
      method: 'POST',
      headers,
      body,
    });
    expect(response.status).toBe(202);
    expect(JSON.parse(response.text)).toMatchObject({ accepted: true, verified: true });
    await runtime.settled();
    const request = await requestOf(requestIdOf(123));
    expect(request).toMatchObject({
      kind: 'return',
      channel: 'shopify',
      status: 'received',
      customer: {
        name: '王芳',
        email: 'wang.fang@customer.example',
        phone: '+8613800138000',
        language: 'zh-CN',
      },
      orderReference: '#1001',
      productReference: '智能音箱 S1 - 曜石黑 (SPK-S1-BLK)',
      deliveryDate: '2026-03-04',
    });
    expect(request.customerLookup).toBeUndefined();
    expect(request.description).toContain('发错商品');
    expect(request.description).toContain('收到的是白色，订的是黑色');
    // The 2-hour clock started at receipt, before the customer was known.
    expect(request.deadlines.response).toBe(
      new Date(Date.parse(request.receivedAt) + 2 * 3600_000).toISOString(),
    );
    expect(request.timeline.map((e: { type: string }) => e.type)).toEqual([
      'received',
      'customer_details_found',
    ]);
  });

  it('makes one request and one lifecycle of 8 copies at once and of a later redelivery with a new webhook id', async () => {
    shopHasReturn(201);
    const payload = anotherReturn(201);
    const eventId = randomUUID();
    const copies = await Promise.all(
      Array.from({ length: 8 }, () => deliver(payload, 'returns/request', { 'x-shopify-event-id': eventId })),
    );
    expect(copies.map((c) => c.status)).toEqual(Array(8).fill(202));
    const requestId = requestIdOf(201);

    await runtime.advance(3600);
    // Shopify's redelivery carries a new X-Shopify-Webhook-Id: still the same return.
    expect((await deliver(payload)).status).toBe(202);
    expect((await runtime.api('GET', `/v1/requests/${requestId}`)).status).toBe(200);

    // One lifecycle: one intake burst claimed the request (a copy that raced it lost its claim).
    const { timeline } = await lifecycleHistory('demo', 'request', requestId);
    const claimed = timeline.filter((e) => e.type === 'burst' && e.details?.trigger === 'intake');
    expect(claimed).toHaveLength(1);
    expect((await requestOf(requestId)).customer.email).toBe('customer.201@customer.example');
  });

  it('waits as Shopify asks after a 429, then reads the customer', async () => {
    shopHasReturn(202);
    const fault = await send(`${runtime.urls.api}/_local/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ component: 'shopify', mode: 'throttle', retryAfterSeconds: 90, requests: 1 }),
    });
    expect(fault.status).toBe(201);
    await deliver(anotherReturn(202));
    const body = { requestId: requestIdOf(202) };
    const pending = await requestOf(body.requestId);
    expect(pending.customer).toBeUndefined();
    expect(pending.customerLookup).toMatchObject({ attempts: 1, lastFailure: { code: 'throttled' } });
    // Retry-After: 90 is longer than our first backoff (60 s): Shopify's wish wins.
    expect(Date.parse(pending.customerLookup.nextAttemptAt) - Date.parse(pending.receivedAt)).toBe(90_000);

    await runtime.advance(89);
    expect((await requestOf(body.requestId)).customer).toBeUndefined();
    await runtime.advance(2);
    const found = await requestOf(body.requestId);
    expect(found.customer).toMatchObject({ name: 'Lei Li', email: 'customer.202@customer.example' });
    expect(found.customerLookup).toBeUndefined();
  });

  it('with a revoked token: shows details pending, keeps trying, and staff fill them in; what waited then goes out', async () => {
    shopHasReturn(203);
    runtime.shopify.setAccessToken(runtime.demo.shopDomain, 'shpat_revoked_by_the_merchant_000');
    try {
      await deliver(anotherReturn(203));
      const body = { requestId: requestIdOf(203) };
      const pending = await requestOf(body.requestId);
      expect(pending.customer).toBeUndefined();
      expect(pending.customerLookup.lastFailure).toMatchObject({ code: 'unauthorized' });

      // Staff respond in time without the customer: the response promise is kept…
      const acknowledged = await runtime.api('POST', `/v1/requests/${body.requestId}/acknowledge`, {});
      expect(acknowledged.status).toBe(200);
      // …but the confirmation (6.1.2) needs an address: it waits.
      expect(acknowledged.body.confirmationSent).toBe(false);
      await runtime.advance(15 * 60);
      const retried = await requestOf(body.requestId);
      expect(retried.customerLookup.attempts).toBeGreaterThanOrEqual(3);
      // The reason is said once in the timeline, not at every attempt.
      expect(
        retried.timeline.filter((e: { type: string }) => e.type === 'customer_lookup_failed'),
      ).toHaveLength(1);

      const entered = await runtime.api('PUT', `/v1/requests/${body.requestId}/customer`, {
        name: 'Zhao Min',
        email: 'zhao.min@customer.example',
      });
      expect(entered.status).toBe(200);
      expect(entered.body.customerLookup).toBeUndefined();
      expect(entered.body.customer).toEqual({ name: 'Zhao Min', email: 'zhao.min@customer.example' });
      expect(entered.body.confirmationSent).toBe(true);
      const mail = await runtime.mailbox();
      expect(mail.some((m) => m.destination.to.includes('zhao.min@customer.example'))).toBe(true);
      expect(entered.body.timeline.at(-2)).toMatchObject({ type: 'customer_details_entered' });
    } finally {
      runtime.shopify.setAccessToken(runtime.demo.shopDomain, runtime.demo.shopifyAdminToken);
    }
  });

  it('keeps looking for a return the shop does not know yet, backing off, and finds it once it exists', async () => {
    await deliver(anotherReturn(299));
    const body = { requestId: requestIdOf(299) };
    const first = await requestOf(body.requestId);
    expect(first.customerLookup).toMatchObject({ attempts: 1, lastFailure: { code: 'not_found' } });
    const gaps: number[] = [];
    let previous = first.customerLookup;
    for (let i = 0; i < 3; i++) {
      await runtime.advance((Date.parse(previous.nextAttemptAt) - runtime.clock.now().getTime()) / 1000);
      const next = (await requestOf(body.requestId)).customerLookup;
      gaps.push((Date.parse(next.nextAttemptAt) - Date.parse(previous.nextAttemptAt)) / 1000);
      previous = next;
    }
    expect(gaps).toEqual([120, 240, 480]);

    shopHasReturn(299, { firstName: 'Mei', lastName: 'Han' });
    await runtime.advance((Date.parse(previous.nextAttemptAt) - runtime.clock.now().getTime()) / 1000);
    expect((await requestOf(body.requestId)).customer).toMatchObject({ name: 'Mei Han' });
    // Still one request for the return.
    const listed = await runtime.api('GET', '/v1/requests?limit=200');
    expect(
      listed.body.items.filter((r: { requestId: string }) => r.requestId === body.requestId),
    ).toHaveLength(1);
  });

  it('cancels the request of a declined or cancelled return, with the reason; notes a closed one once', async () => {
    shopHasReturn(204);
    shopHasReturn(205);
    shopHasReturn(206);
    for (const n of [204, 205, 206]) await deliver(anotherReturn(n));
    const [declined, cancelled, closed] = [204, 205, 206].map(requestIdOf) as [string, string, string];
    const renumbered = <T extends { id: number; admin_graphql_api_id: string }>(sample: T, n: number) => ({
      ...sample,
      id: n,
      admin_graphql_api_id: `gid://shopify/Return/${n}`,
    });

    const decline = renumbered(returnsDeclineSample, 204);
    await deliver(decline, 'returns/decline');
    expect((await requestOf(declined)).status).toBe('cancelled');
    expect((await deliver(decline, 'returns/decline')).status).toBe(202);
    const afterDecline = await requestOf(declined);
    expect(afterDecline.cancelReason).toContain('return_period_ended');
    expect(afterDecline.timeline.filter((e: { type: string }) => e.type === 'cancelled')).toHaveLength(1);

    await deliver(renumbered(returnsCancelSample, 205), 'returns/cancel');
    expect((await requestOf(cancelled)).status).toBe('cancelled');
    expect((await requestOf(cancelled)).cancelReason).toBe('Cancelled in Shopify');

    await deliver(renumbered(returnsCloseSample, 206), 'returns/close');
    await deliver(renumbered(returnsCloseSample, 206), 'returns/close');
    const afterClose = await requestOf(closed);
    expect(afterClose.status).toBe('received');
    expect(
      afterClose.timeline.filter((e: { type: string }) => e.type === 'storefront_return_closed'),
    ).toHaveLength(1);

    // A return we never opened a request for: acknowledged, its state recorded, nothing opened.
    const unknown = await deliver(renumbered(returnsCancelSample, 9999), 'returns/cancel');
    expect(unknown.status).toBe(202);
    expect((await runtime.api('GET', `/v1/requests/${requestIdOf(9999)}`)).status).toBe(404);
  });

  it('in the order Shopify says things happened: a decline or cancel delivered before its request leaves nothing open', async () => {
    const renumbered = <T extends { id: number; admin_graphql_api_id: string }>(sample: T, n: number) => ({
      ...sample,
      id: n,
      admin_graphql_api_id: `gid://shopify/Return/${n}`,
    });
    const earlier = new Date(runtime.clock.now().getTime() - 60_000).toISOString();
    const later = runtime.clock.now().toISOString();
    for (const [n, sample, topic] of [
      [211, returnsDeclineSample, 'returns/decline'],
      [212, returnsCancelSample, 'returns/cancel'],
    ] as const) {
      shopHasReturn(n);
      // Shopify retries for hours and may reorder: the decline (later) arrives first.
      expect((await deliver(renumbered(sample, n), topic, { 'x-shopify-triggered-at': later })).status).toBe(
        202,
      );
      expect(
        (await deliver(anotherReturn(n), 'returns/request', { 'x-shopify-triggered-at': earlier })).status,
      ).toBe(202);
      expect((await runtime.api('GET', `/v1/requests/${requestIdOf(n)}`)).status).toBe(404);
    }
  });

  it('opens a return first seen approved (created by the merchant), once', async () => {
    shopHasReturn(213);
    const approved = { ...anotherReturn(213), status: 'open' };
    await deliver(approved, 'returns/approve');
    await deliver(anotherReturn(213), 'returns/request');
    const request = await requestOf(requestIdOf(213));
    expect(request).toMatchObject({ kind: 'return', status: 'received' });
  });

  it('says which access Shopify denies (a scope, protected customer data), alarms it, and tries again daily, not hourly', async () => {
    const cases = [
      [221, { scopes: ['read_orders', 'read_all_orders', 'read_customers'] }, /read_returns/],
      [222, { protectedCustomerData: false }, /protected customer data/],
    ] as const;
    for (const [n, access, named] of cases) {
      shopHasReturn(n);
      runtime.shopify.setAccess(runtime.demo.shopDomain, access);
      try {
        await deliver(anotherReturn(n));
        const pending = await requestOf(requestIdOf(n));
        expect(pending.customer).toBeUndefined();
        expect(pending.customerLookup.lastFailure).toMatchObject({ code: 'access_denied' });
        expect(pending.customerLookup.lastFailure.message).toMatch(named);
        expect(
          Date.parse(pending.customerLookup.nextAttemptAt) - runtime.clock.now().getTime(),
        ).toBeGreaterThan(23 * 3600_000);
      } finally {
        runtime.shopify.setAccess(runtime.demo.shopDomain, {
          scopes: ['read_orders', 'read_all_orders', 'read_returns', 'read_customers'],
          protectedCustomerData: true,
        });
      }
    }
  });

  it('without read_all_orders, an order older than 60 days is out of reach (as Shopify serves it), and says so', async () => {
    const old = orderLikeTheSample(223, {
      firstName: 'Old',
      lastName: 'Order',
      email: 'old@customer.example',
      locale: 'en',
    });
    old.createdAt = new Date(runtime.clock.now().getTime() - 90 * 86_400_000).toISOString();
    runtime.shopify.addOrder(runtime.demo.shopDomain, old);
    runtime.shopify.setAccess(runtime.demo.shopDomain, {
      scopes: ['read_orders', 'read_returns', 'read_customers'],
    });
    try {
      await deliver(anotherReturn(223));
      const pending = await requestOf(requestIdOf(223));
      expect(pending.customerLookup.lastFailure.message).toMatch(/read_all_orders/);
    } finally {
      runtime.shopify.setAccess(runtime.demo.shopDomain, {
        scopes: ['read_orders', 'read_all_orders', 'read_returns', 'read_customers'],
      });
    }
  });

  it('answers 401 alike for a bad signature, another shop, or an unknown tenant, and stores nothing', async () => {
    const before = (await runtime.api('GET', '/v1/requests?limit=200')).body.items.length;
    const payload = anotherReturn(777);
    const forged = await deliver(payload, 'returns/request', {
      'x-shopify-hmac-sha256': base64Hmac('not-the-secret', '{}'),
    });
    const otherShop = await deliver(payload, 'returns/request', {
      'x-shopify-shop-domain': 'other.myshopify.com',
    });
    const unknownTenant = await deliver(payload, 'returns/request', {}, 'no-such-tenant');
    expect(forged.status).toBe(401);
    expect(otherShop).toEqual(forged);
    expect(unknownTenant).toEqual(forged);
    expect((await runtime.api('GET', '/v1/requests?limit=200')).body.items.length).toBe(before);
  });

  it('acknowledges topics that are not after-sales work, and keeps a signed body that is not a return out of the worklist', async () => {
    const before = (await runtime.api('GET', '/v1/requests?limit=200')).body.items.length;
    expect((await deliver({ id: 1 }, 'orders/create')).status).toBe(202);
    // Signed by the shop, so kept, then refused from the inbox (logged and alarmed: no retry cures it).
    expect((await deliver({ id: 'x' })).status).toBe(202);
    expect(runtime.storefrontInboxDeadLetters()).toEqual([]);
    expect((await runtime.api('GET', '/v1/requests?limit=200')).body.items.length).toBe(before);
  });
});

describe('Shopify privacy webhooks (clause 12)', () => {
  const emailOf = (n: number) => `customer.${n}@customer.example`;
  /** A return of the demo shop's customer `n`, its details looked up from the shop. */
  async function returnOf(n: number) {
    shopHasReturn(n, { firstName: 'Mei', lastName: `Sun${n}` });
    await deliver(anotherReturn(n));
    await runtime.advance(60);
    const request = await requestOf(requestIdOf(n));
    expect(request.customer.email).toBe(emailOf(n));
    return requestIdOf(n);
  }
  const about = (n: number, sample: Record<string, unknown>) => ({
    ...sample,
    shop_domain: runtime.demo.shopDomain,
    ...('customer' in sample
      ? { customer: { ...(sample.customer as object), email: emailOf(n), phone: '+8613911112222' } }
      : {}),
  });

  it('customers/data_request: the export is made for the merchant, who is told by the daily run’s email (naming no customer)', async () => {
    const requestId = await returnOf(301);
    expect((await deliver(about(301, customersDataRequestSample), 'customers/data_request')).status).toBe(
      202,
    );
    // Redelivered: the same request, kept once.
    expect((await deliver(about(301, customersDataRequestSample), 'customers/data_request')).status).toBe(
      202,
    );

    // The daily run tells the tenant's first escalation level, once.
    expect((await runtime.mailbox()).filter((m) => m.subject.includes('shopify-9999'))).toEqual([]);
    await runtime.advance(86_400);
    await runtime.advance(86_400);
    const told = (await runtime.mailbox()).filter((m) => m.subject.includes('shopify-9999'));
    expect(told).toHaveLength(1);
    expect(told[0]!.destination.to).toEqual(['team-lead@demo.example']);
    expect(JSON.stringify(told[0]!.body)).not.toContain(emailOf(301));

    const listed = await runtime.api('GET', '/v1/customer-data/requests');
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        dataRequestId: 'shopify-9999',
        source: 'shopify',
        email: emailOf(301),
        subjects: 1,
      }),
    ]);
    const kept = await runtime.api('GET', '/v1/customer-data/requests/shopify-9999');
    expect(kept.status).toBe(200);
    expect(kept.body.export.requests.map((r: { requestId: string }) => r.requestId)).toEqual([requestId]);
    expect(kept.body.export.requests[0].customer.email).toBe(emailOf(301));
    expect((await runtime.api('GET', '/v1/customer-data/requests/shopify-1')).status).toBe(404);
  });

  it('customers/redact erases the customer; a bad signature or another shop erases nothing', async () => {
    const requestId = await returnOf(302);
    const payload = about(302, customersRedactSample);
    const forged = await deliver(payload, 'customers/redact', { 'x-shopify-hmac-sha256': 'AAAA' });
    expect(forged.status).toBe(401);
    // Signed, but about another shop: kept, then refused from the inbox; nothing erased.
    await deliver({ ...payload, shop_domain: 'another.myshopify.com' }, 'customers/redact');
    expect(itemsMentioning(await everyItem(runtime), [emailOf(302)]).length).toBeGreaterThan(0);

    expect((await deliver(payload, 'customers/redact')).status).toBe(202);
    expect(itemsMentioning(await everyItem(runtime), [emailOf(302), 'Sun302', '+8613911112222'])).toEqual([]);
    const request = await requestOf(requestId);
    expect(request.customer.name).toBe('[erased]');
    expect(request.kind).toBe('return');
    // The data request of customer 301 is untouched by another's erasure.
    expect((await runtime.api('GET', '/v1/customer-data/requests/shopify-9999')).status).toBe(200);
  });

  it('customers/redact erases the requests of orders_to_redact too: one still looking its customer up, one under an email the customer has since changed', async () => {
    // Order 306: the shop has not answered for it yet (its customer is still being looked up).
    await deliver(anotherReturn(306));
    await runtime.advance(60);
    const pending = await requestOf(requestIdOf(306));
    expect(pending.customerLookup).toBeDefined();
    // Order 307: looked up under the address the customer had then.
    const changed = await returnOf(307);
    // Order 308: another customer's, not named by the redaction.
    const untouched = await returnOf(308);

    const redact = {
      ...about(306, customersRedactSample),
      customer: { id: 191167, email: 'new.address@customer.example', phone: null },
      orders_to_redact: [306, 307],
    };
    expect((await deliver(redact, 'customers/redact')).status).toBe(202);
    const lookedUp = await requestOf(requestIdOf(306));
    expect(lookedUp).toMatchObject({ status: 'cancelled', customer: { name: '[erased]' } });
    expect(lookedUp.customerLookup).toBeUndefined();
    expect(lookedUp.description).toBe('[erased]');
    expect((await requestOf(changed)).customer.name).toBe('[erased]');
    expect(itemsMentioning(await everyItem(runtime), [emailOf(307), 'Sun307'])).toEqual([]);
    expect((await requestOf(untouched)).customer.email).toBe(emailOf(308));

    // The shop answers for 306 later: nothing is looked up for an erased request.
    shopHasReturn(306, { firstName: 'Mei', lastName: 'Sun306' });
    await runtime.advance(3600);
    expect(itemsMentioning(await everyItem(runtime), [emailOf(306), 'Sun306'])).toEqual([]);
    // Redelivered (Shopify retries): nothing left to erase, answered all the same.
    expect((await deliver(redact, 'customers/redact')).status).toBe(202);
  });

  it('a data request survives a later customers/redact until the merchant fetches it once, then goes', async () => {
    await returnOf(304);
    const asked = { ...about(304, customersDataRequestSample), data_request: { id: 7304 } };
    await deliver(asked, 'customers/data_request');
    await deliver(about(304, customersRedactSample), 'customers/redact');
    const kept = await runtime.api('GET', '/v1/customer-data/requests/shopify-7304');
    expect(kept.status).toBe(200);
    expect(kept.body.customerErasedAt).toBeDefined();
    // What the customer asked for: their data as it was when they asked.
    expect(kept.body.export.requests[0].customer.email).toBe(emailOf(304));
    expect((await runtime.api('GET', '/v1/customer-data/requests/shopify-7304')).status).toBe(404);
    expect(itemsMentioning(await everyItem(runtime), [emailOf(304)])).toEqual([]);
  });

  it('shop/redact: the next daily run erases every customer who came from the shop, and no one else', async () => {
    const fromShop = await returnOf(303);
    const byPhone = await runtime.api('POST', '/v1/requests', {
      kind: 'consultation',
      customer: { name: 'Qian Bo', email: 'qian.bo@customer.example' },
      description: 'How do I pair the speaker?',
      channel: 'phone',
    });
    expect(byPhone.status).toBe(201);
    expect((await deliver(about(303, shopRedactSample), 'shop/redact')).status).toBe(202);
    expect((await requestOf(fromShop)).customer.email).toBe(emailOf(303));

    // A request of the shop still reading its customer (the app is gone: 401) ends at its next attempt.
    runtime.shopify.setAccessToken(runtime.demo.shopDomain, 'shpat_uninstalled_000000000000');
    try {
      await deliver(anotherReturn(305));
      await runtime.advance(3600);
      const pending = await requestOf(requestIdOf(305));
      expect(pending.status).toBe('cancelled');
      expect(pending.cancelReason).toMatch(/shop\/redact/);
    } finally {
      runtime.shopify.setAccessToken(runtime.demo.shopDomain, runtime.demo.shopifyAdminToken);
    }

    await runtime.advance(86_400);
    expect((await requestOf(fromShop)).customer.name).toBe('[erased]');
    expect(itemsMentioning(await everyItem(runtime), [emailOf(301), emailOf(303)])).toEqual([]);
    expect((await requestOf(byPhone.body.requestId)).customer.email).toBe('qian.bo@customer.example');
  });
});
