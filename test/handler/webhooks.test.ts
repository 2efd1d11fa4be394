import { createHmac } from 'node:crypto';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signGeneric } from '../../functions/webhooks/signatures.ts';
import { send, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(async () => {
  await runtime.dispose();
});

/** A Shopify `returns/request` delivery (the Return resource, with the order's customer). */
const shopifyReturn = (overrides: Record<string, unknown> = {}) => ({
  id: 7300186136,
  admin_graphql_api_id: 'gid://shopify/Return/7300186136',
  name: '#1001-R1',
  status: 'requested',
  order: {
    id: 5551892512824,
    admin_graphql_api_id: 'gid://shopify/Order/5551892512824',
    name: '#1001',
    email: 'li.lei@customer.example',
    customer: {
      first_name: 'Lei',
      last_name: 'Li',
      email: 'li.lei@customer.example',
      phone: '+8613800000000',
    },
  },
  total_return_line_items: 1,
  return_line_items: [
    {
      id: 9121693768,
      quantity: 1,
      return_reason: 'defective',
      return_reason_note: 'Screen flickers after a week',
      customer_note: null,
      fulfillment_line_item: {
        id: 1,
        line_item: { id: 13653214183480, name: 'Smart Speaker S1', sku: 'SPK-S1' },
      },
    },
  ],
  ...overrides,
});

/** A WooCommerce `order.updated` delivery (the order resource). */
const wooOrder = (status: string) => ({
  id: 727,
  parent_id: 0,
  number: '727',
  status,
  currency: 'CNY',
  date_completed: '2026-02-20T10:00:00',
  customer_note: 'The kettle leaks from the base',
  billing: {
    first_name: 'Mei',
    last_name: 'Han',
    company: '',
    email: 'han.mei@customer.example',
    phone: '13900000000',
  },
  line_items: [{ id: 315, name: 'Electric Kettle K2', sku: 'KTL-K2', quantity: 1 }],
});

const genericDelivery = (overrides: Record<string, unknown> = {}) => ({
  kind: 'technical_support',
  customer: { name: 'Wu Fang', email: 'wu.fang@customer.example' },
  orderReference: 'WEB-88',
  description: 'Cannot pair the app with the device',
  ...overrides,
});

const base64Hmac = (secret: string, body: string) =>
  createHmac('sha256', secret).update(body).digest('base64');

async function deliver(path: string, body: string, headers: Record<string, string>) {
  const response = await send(`${runtime.urls.api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  await runtime.settled();
  return { status: response.status, body: response.text ? JSON.parse(response.text) : undefined };
}

function shopify(
  body: string,
  deliveryId: string,
  secret = runtime.demo.webhookSecrets.shopify,
  tenant = 'demo',
) {
  return deliver(`/v1/webhooks/${tenant}/shopify`, body, {
    'x-shopify-hmac-sha256': base64Hmac(secret, body),
    'x-shopify-webhook-id': deliveryId,
    'x-shopify-topic': 'returns/request',
    'x-shopify-shop-domain': 'demo-shop.myshopify.com',
  });
}

function generic(body: string, key: string, at = new Date(Date.now())) {
  return deliver('/v1/webhooks/demo/generic', body, {
    'x-signature': signGeneric(body, runtime.demo.webhookSecrets.generic, at),
    'idempotency-key': key,
  });
}

async function storedRequestCount(): Promise<number> {
  const listed = await runtime.api('GET', '/v1/requests?status=received&limit=100');
  return listed.body.items.length;
}

describe('Shopify webhooks', () => {
  it('turns a signed returns/request into a return request, and a redelivery into the same request', async () => {
    const body = JSON.stringify(shopifyReturn());
    const first = await shopify(body, 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043');
    expect(first.status).toBe(201);
    const again = await shopify(body, 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043');
    expect(again).toEqual({
      status: 200,
      body: { requestId: first.body.requestId, status: 'received', duplicate: true },
    });

    const stored = (await runtime.api('GET', `/v1/requests/${first.body.requestId}`)).body;
    expect(stored).toMatchObject({
      kind: 'return',
      channel: 'shopify',
      customer: { name: 'Lei Li', email: 'li.lei@customer.example' },
      orderReference: '#1001',
      productReference: 'Smart Speaker S1',
    });
    expect(stored.description).toContain('Screen flickers after a week');
  });

  it('answers 401 for a bad signature or an unknown tenant, without saying which, and stores nothing', async () => {
    const before = await storedRequestCount();
    const body = JSON.stringify(shopifyReturn({ id: 1 }));
    const forged = await shopify(body, 'forged-1', 'not-the-secret-at-all-000');
    const unknown = await shopify(body, 'unknown-1', runtime.demo.webhookSecrets.shopify, 'no-such-shop');
    expect(forged).toEqual(unknown);
    expect(forged.status).toBe(401);
    expect(await storedRequestCount()).toBe(before);
  });

  it('answers 422 with the missing fields when a delivery carries no customer email', async () => {
    const withoutCustomer = shopifyReturn({
      order: { id: 5, admin_graphql_api_id: 'gid://shopify/Order/5', name: '#1005' },
    });
    const response = await shopify(JSON.stringify(withoutCustomer), 'no-customer-1');
    expect(response.status).toBe(422);
    expect(Object.keys(response.body.error.fields)).toEqual(
      expect.arrayContaining(['customer.email', 'customer.name']),
    );
  });
});

describe('WooCommerce webhooks', () => {
  const woo = (body: string, deliveryId: string, secret = runtime.demo.webhookSecrets.woocommerce) =>
    deliver('/v1/webhooks/demo/woocommerce', body, {
      'x-wc-webhook-signature': base64Hmac(secret, body),
      'x-wc-webhook-delivery-id': deliveryId,
      'x-wc-webhook-topic': 'order.updated',
      'x-wc-webhook-source': 'https://shop.example/',
    });

  it('opens a request for an order whose status the tenant maps to after-sales work, and ignores others', async () => {
    const refunded = await woo(JSON.stringify(wooOrder('refunded')), '9001');
    expect(refunded.status).toBe(201);
    const stored = (await runtime.api('GET', `/v1/requests/${refunded.body.requestId}`)).body;
    expect(stored).toMatchObject({
      kind: 'return',
      channel: 'woocommerce',
      customer: { name: 'Mei Han' },
      orderReference: '727',
      deliveryDate: '2026-02-20',
    });

    const processing = await woo(JSON.stringify(wooOrder('processing')), '9002');
    expect(processing).toMatchObject({ status: 200, body: { ignored: true } });
    expect(
      (await woo(JSON.stringify(wooOrder('refunded')), '9003', 'wrong-secret-wrong-secret')).status,
    ).toBe(401);
  });

  it('writes a Chinese customer’s name family name first, as they write it', async () => {
    const order = { ...wooOrder('refunded'), id: 728, number: '728' };
    order.billing = {
      ...order.billing,
      first_name: '三',
      last_name: '张',
      email: 'zhang.san@customer.example',
    };
    const delivered = await woo(JSON.stringify(order), '9004');
    expect(delivered.status).toBe(201);
    const stored = (await runtime.api('GET', `/v1/requests/${delivered.body.requestId}`)).body;
    expect(stored.customer.name).toBe('张三');
  });
});

describe('generic webhooks', () => {
  it('accepts a signed delivery, and refuses a stale one as a replay', async () => {
    const body = JSON.stringify(genericDelivery());
    expect((await generic(body, 'gen-1')).status).toBe(201);
    const sixMinutesAgo = new Date(Date.now() - 6 * 60_000);
    expect((await generic(body, 'gen-2', sixMinutesAgo)).status).toBe(401);
  });

  it('answers 400 for malformed JSON, 413 for an oversize body, 422 without an Idempotency-Key', async () => {
    expect((await generic('{"kind":', 'gen-3')).status).toBe(400);
    const huge = JSON.stringify(genericDelivery({ description: 'x'.repeat(300 * 1024) }));
    expect((await generic(huge, 'gen-4')).status).toBe(413);
    const body = JSON.stringify(genericDelivery());
    const noKey = await deliver('/v1/webhooks/demo/generic', body, {
      'x-signature': signGeneric(body, runtime.demo.webhookSecrets.generic, new Date(Date.now())),
    });
    expect(noKey.status).toBe(422);
  });

  it('makes exactly one request and one lifecycle out of 100 concurrent copies of one delivery', async () => {
    const body = JSON.stringify(genericDelivery({ orderReference: 'CONCURRENT-1' }));
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => generic(body, 'concurrent-delivery-1')),
    );
    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([201, 200]));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    const ids = new Set(responses.map((r) => r.body.requestId));
    expect(ids.size).toBe(1);

    const [requestId] = [...ids];
    const sfn = new SFNClient({
      endpoint: runtime.urls.stepFunctions,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const { executions } = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: runtime.stateMachineArns.serviceRequest }),
    );
    expect(executions!.filter((e) => e.name === `demo--${requestId}`)).toHaveLength(1);
    const listed = await runtime.api('GET', '/v1/requests?status=received&limit=100');
    expect(
      listed.body.items.filter((r: { orderReference?: string }) => r.orderReference === 'CONCURRENT-1'),
    ).toHaveLength(1);
  });

  it('answers every malformed delivery with a 4xx and stores nothing (property)', async () => {
    const before = await storedRequestCount();
    let counter = 0;
    const invalidPayload = fc.oneof(
      fc.anything(),
      fc.record(
        { kind: fc.string(), customer: fc.anything(), description: fc.anything() },
        { requiredKeys: [] },
      ),
      fc.record({
        kind: fc.constantFrom('repair', 'return'),
        customer: fc.record({ name: fc.string({ maxLength: 3 }), email: fc.string({ maxLength: 10 }) }),
        description: fc.string({ maxLength: 3 }),
        deliveryDate: fc.string({ maxLength: 12 }),
        surprise: fc.anything(),
      }),
    );
    await fc.assert(
      fc.asyncProperty(invalidPayload, async (payload) => {
        counter += 1;
        const response = await generic(JSON.stringify(payload) ?? 'null', `fuzz-${counter}`);
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
    expect(await storedRequestCount()).toBe(before);
  });
});
