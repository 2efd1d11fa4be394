import { createHmac, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signGeneric, signGenericV1 } from '#functions/storefronts/signatures.ts';
import { lifecycleHistory } from '#infra/operator/tenants.ts';
import { order723, order727, updated } from '#local/samples/storefronts/woocommerce.ts';
import { createOtherTenant, send, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(async () => {
  await runtime.dispose();
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

function generic(body: string, key: string, at = new Date(Date.now()), signedKey = key) {
  return deliver('/v1/webhooks/demo/generic', body, {
    'x-signature': signGeneric(body, signedKey, runtime.demo.webhookSecrets.generic, at),
    'idempotency-key': key,
  });
}

async function storedRequestCount(): Promise<number> {
  const listed = await runtime.api('GET', '/v1/requests?status=received&limit=200');
  return listed.body.items.length;
}

/**
 * The requests a storefront order (or a generic delivery's order reference) opened, newest last:
 * a delivery is answered 202 once it is kept, and made a request from the inbox (settled above).
 */
async function requestsOf(orderReference: string, status = 'received') {
  const listed = await runtime.api('GET', `/v1/requests?status=${status}&limit=200`);
  return (listed.body.items as { requestId: string; orderReference?: string; receivedAt: string }[]).filter(
    (r) => r.orderReference === orderReference,
  );
}

/**
 * WooCommerce as it really delivers (woocommerce/includes/class-wc-webhook.php): the order as the
 * REST API shows it, `X-WC-Webhook-Signature` the base64 HMAC-SHA256 of the body, and a delivery
 * id that is a hash of the webhook id and the current second.
 */
describe('WooCommerce webhooks', () => {
  const woo = (
    order: unknown,
    deliveryId = randomUUID().replaceAll('-', ''),
    secret = runtime.demo.webhookSecrets.woocommerce,
  ) => {
    const body = JSON.stringify(order);
    return deliver('/v1/webhooks/demo/woocommerce', body, {
      'x-wc-webhook-source': 'https://example.com/',
      'x-wc-webhook-topic': 'order.updated',
      'x-wc-webhook-resource': 'order',
      'x-wc-webhook-event': 'updated',
      'x-wc-webhook-signature': base64Hmac(secret, body),
      'x-wc-webhook-id': '3',
      'x-wc-webhook-delivery-id': deliveryId,
    });
  };

  it('answers the unsigned ping WooCommerce sends when a webhook is saved, storing nothing', async () => {
    const before = await storedRequestCount();
    const ping = await send(`${runtime.urls.api}/v1/webhooks/demo/woocommerce`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'webhook_id=3',
    });
    expect(ping.status).toBe(200);
    expect(JSON.parse(ping.text)).toEqual({ ignored: true, reason: 'ping' });
    expect(await storedRequestCount()).toBe(before);
  });

  it('turns the documented order, entering an after-sales status, into a request with its items and billing name', async () => {
    const delivered = await woo(updated(order727, 'return-requested', '2026-03-02T01:05:00'));
    expect(delivered).toMatchObject({ status: 202, body: { accepted: true, verified: true } });
    const [opened] = await requestsOf('727');
    const stored = (await runtime.api('GET', `/v1/requests/${opened!.requestId}`)).body;
    expect(stored).toMatchObject({
      kind: 'return',
      channel: 'woocommerce',
      customer: { name: 'John Doe', email: 'john.doe@example.com', phone: '(555) 555-5555' },
      orderReference: '727',
      // Names arrive HTML-escaped ("&ndash;"): stored as the shop shows them.
      productReference: 'Woo Single #1 ×2, Ship Your Idea – Color: Black, Size: M Test (Bar3)',
    });
    expect(stored.description).toContain('Ship Your Idea – Color: Black, Size: M Test (Bar3)');

    // Updated again while it stays return-requested (a note, a new delivery id): the same request.
    expect((await woo(updated(order727, 'return-requested', '2026-03-02T01:07:00'))).status).toBe(202);
    // A delivery of an older state, arriving late, changes nothing either.
    expect((await woo(updated(order727, 'processing', '2026-03-02T01:04:00'))).status).toBe(202);
    expect((await requestsOf('727')).map((r) => r.requestId)).toEqual([opened!.requestId]);
  });

  it('keys on the order and its status, not the delivery id: two orders in one second make two requests', async () => {
    const sameSecond = 'e0b1a2c3d4e5f60718293a4b5c6d7e8f';
    await woo(updated(order723, 'return-requested', '2026-03-02T01:10:00'), sameSecond);
    await woo(
      { ...updated(order727, 'return-requested', '2026-03-02T01:10:00'), id: 729, number: '729' },
      sameSecond,
    );
    expect(await requestsOf('723')).toHaveLength(1);
    expect(await requestsOf('729')).toHaveLength(1);
  });

  it('opens a new request when an order enters an after-sales status again after leaving it', async () => {
    const order = { ...order727, id: 731, number: '731' };
    await woo(updated(order, 'return-requested', '2026-03-02T02:00:00'));
    await woo(updated(order, 'completed', '2026-03-02T03:00:00'));
    await woo(updated(order, 'return-requested', '2026-03-02T04:00:00'));
    expect(await requestsOf('731')).toHaveLength(2);
  });

  it('ignores statuses that are not after-sales work, refuses a bad signature, and names CJK customers family first', async () => {
    const held = { ...order727, id: 732, number: '732' };
    expect((await woo(updated(held, 'on-hold', '2026-03-02T05:00:00'))).status).toBe(202);
    expect(await requestsOf('732')).toEqual([]);
    expect(
      (await woo(updated(held, 'return-requested', '2026-03-02T05:01:00'), undefined, 'wrong-secret-wrong'))
        .status,
    ).toBe(401);
    expect(await requestsOf('732')).toEqual([]);

    const order = updated({ ...order727, id: 733, number: '733' }, 'return-requested', '2026-03-02T05:02:00');
    order.billing = {
      ...order.billing,
      first_name: '三',
      last_name: '张',
      email: 'zhang.san@customer.example',
    };
    expect((await woo(order)).status).toBe(202);
    const [opened] = await requestsOf('733');
    const stored = (await runtime.api('GET', `/v1/requests/${opened!.requestId}`)).body;
    expect(stored.customer.name).toBe('张三');
  });
});

describe('WooCommerce as it behaves (#33)', () => {
  const woo = (order: unknown) => {
    const body = JSON.stringify(order);
    return deliver('/v1/webhooks/demo/woocommerce', body, {
      'x-wc-webhook-source': 'https://shop.example.com/',
      'x-wc-webhook-topic': 'order.updated',
      'x-wc-webhook-signature': base64Hmac(runtime.demo.webhookSecrets.woocommerce, body),
      'x-wc-webhook-id': '3',
      'x-wc-webhook-delivery-id': randomUUID().replaceAll('-', ''),
    });
  };
  const numbered = (n: number) => ({ ...order727, id: n, number: String(n) });

  it('withdraws the request an order opened when it moves to return-cancelled or cancelled (the defaults)', async () => {
    for (const [n, withdrawing] of [
      [801, 'return-cancelled'],
      [802, 'cancelled'],
    ] as const) {
      await woo(updated(numbered(n), 'return-requested', '2026-03-02T06:00:00'));
      const [opened] = await requestsOf(String(n));
      await woo(updated(numbered(n), withdrawing, '2026-03-02T06:30:00'));
      const withdrawn = (await runtime.api('GET', `/v1/requests/${opened!.requestId}`)).body;
      expect(withdrawn.status).toBe('cancelled');
      expect(withdrawn.cancelReason).toBe(`Withdrawn in WooCommerce: the order is ${withdrawing}`);
    }
  });

  it('opens nothing when the withdrawal happened before a request that arrives late, and nothing for a refund by default', async () => {
    await woo(updated(numbered(803), 'return-cancelled', '2026-03-02T07:30:00'));
    await woo(updated(numbered(803), 'return-requested', '2026-03-02T07:00:00'));
    expect(await requestsOf('803')).toEqual([]);
    // An unshipped order refunded needs no service.
    await woo(updated(numbered(804), 'refunded', '2026-03-02T07:10:00'));
    expect(await requestsOf('804')).toEqual([]);
  });

  it('makes an order without a billing email (a phone order) a request with its details pending, which staff complete', async () => {
    const phoneOrder = updated(numbered(805), 'return-requested', '2026-03-02T08:00:00');
    phoneOrder.billing = { ...phoneOrder.billing, email: '', first_name: 'Wei', last_name: 'Zhou' };
    expect((await woo(phoneOrder)).status).toBe(202);
    const [opened] = await requestsOf('805');
    const pending = (await runtime.api('GET', `/v1/requests/${opened!.requestId}`)).body;
    expect(pending.customer).toBeUndefined();
    expect(pending.customerLookup).toMatchObject({
      storefront: 'woocommerce',
      orderId: '805',
      lastFailure: { code: 'no_email' },
    });
    expect(pending.description).toContain('Billing: Wei Zhou');
    const entered = await runtime.api('PUT', `/v1/requests/${opened!.requestId}/customer`, {
      name: 'Zhou Wei',
      email: 'zhou.wei@customer.example',
    });
    expect(entered.status).toBe(200);
    expect(entered.body.customerLookup).toBeUndefined();
  });

  it('takes statuses with or without WordPress’s wc- prefix, and a null removes one (a merge patch)', async () => {
    const settings = await runtime.api('PUT', '/v1/settings', {
      storefronts: {
        woocommerce: { statuses: { 'wc-repair-requested': 'repair', 'wc-return-cancelled': null } },
      },
    });
    expect(settings.status).toBe(200);
    const statuses = settings.body.storefronts.woocommerce.statuses;
    expect(statuses).toMatchObject({ 'repair-requested': 'repair', 'return-requested': 'return' });
    expect(statuses).not.toHaveProperty('return-cancelled');
    expect(statuses).not.toHaveProperty('wc-repair-requested');
    await woo(updated(numbered(806), 'repair-requested', '2026-03-02T09:00:00'));
    const [opened] = await requestsOf('806');
    expect((await runtime.api('GET', `/v1/requests/${opened!.requestId}`)).body.kind).toBe('repair');
    await runtime.api('PUT', '/v1/settings', {
      storefronts: { woocommerce: { statuses: { 'return-cancelled': 'cancel', 'repair-requested': null } } },
    });
  });

  it('answers the ping 404 for a tenant without WooCommerce connected (a mistyped URL is not saved)', async () => {
    await createOtherTenant('no-woo-co', { storefronts: {} });
    const ping = await send(`${runtime.urls.api}/v1/webhooks/no-woo-co/woocommerce`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'webhook_id=3',
    });
    expect(ping.status).toBe(404);
  });

  it('checks the signature over the raw bytes: a signed body with bytes that are not UTF-8 is taken', async () => {
    const raw = Buffer.concat([
      Buffer.from(JSON.stringify(updated(numbered(807), 'on-hold', '2026-03-02T09:30:00')).slice(0, -1)),
      Buffer.from(',"note":"\xff"}', 'latin1'),
    ]);
    const response = await send(`${runtime.urls.api}/v1/webhooks/demo/woocommerce`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-wc-webhook-signature': createHmac('sha256', runtime.demo.webhookSecrets.woocommerce)
          .update(raw)
          .digest('base64'),
      },
      body: raw,
    });
    expect(response.status).toBe(202);
  });
});

describe('generic webhooks', () => {
  it('accepts a signed delivery, and refuses a stale one as a replay', async () => {
    const body = JSON.stringify(genericDelivery());
    expect((await generic(body, 'gen-1')).status).toBe(202);
    const sixMinutesAgo = new Date(Date.now() - 6 * 60_000);
    expect((await generic(body, 'gen-2', sixMinutesAgo)).status).toBe(401);
  });

  it('signs the Idempotency-Key (v2): a captured delivery sent again with another key is refused', async () => {
    const body = JSON.stringify(genericDelivery({ orderReference: 'REPLAY-V2' }));
    const first = await generic(body, 'replay-v2-a');
    expect(first.status).toBe(202);
    // The same signature, the key changed: the signature no longer matches.
    const replayed = await generic(body, 'replay-v2-b', new Date(Date.now()), 'replay-v2-a');
    expect(replayed.status).toBe(401);
  });

  it('still accepts v1 signatures, and a v1 replay with a new key finds the same request', async () => {
    const body = JSON.stringify(genericDelivery({ orderReference: 'REPLAY-V1' }));
    const v1 = (key: string) =>
      deliver('/v1/webhooks/demo/generic', body, {
        'x-signature': signGenericV1(body, runtime.demo.webhookSecrets.generic, new Date(Date.now())),
        'idempotency-key': key,
      });
    expect((await v1('replay-v1-a')).status).toBe(202);
    expect((await v1('replay-v1-b')).status).toBe(202);
    expect(await requestsOf('REPLAY-V1')).toHaveLength(1);
  });

  it('answers 400 for malformed JSON, 413 for an oversize body, 422 without an Idempotency-Key', async () => {
    expect((await generic('{"kind":', 'gen-3')).status).toBe(400);
    const huge = JSON.stringify(genericDelivery({ description: 'x'.repeat(300 * 1024) }));
    expect((await generic(huge, 'gen-4')).status).toBe(413);
    const body = JSON.stringify(genericDelivery());
    const noKey = await deliver('/v1/webhooks/demo/generic', body, {
      'x-signature': signGeneric(body, '', runtime.demo.webhookSecrets.generic, new Date(Date.now())),
    });
    expect(noKey.status).toBe(422);
  });

  it('makes exactly one request and one lifecycle out of 100 concurrent copies of one delivery', async () => {
    const body = JSON.stringify(genericDelivery({ orderReference: 'CONCURRENT-1' }));
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => generic(body, 'concurrent-delivery-1')),
    );
    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([202]));
    const opened = await requestsOf('CONCURRENT-1');
    expect(opened).toHaveLength(1);
    const requestId = opened[0]!.requestId;
    // One lifecycle: one intake burst claimed the request (a copy that raced it lost its claim).
    const { timeline } = await lifecycleHistory('demo', 'request', requestId);
    const claimed = timeline.filter((e) => e.type === 'burst' && e.details?.trigger === 'intake');
    expect(claimed).toHaveLength(1);
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
