import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { returnsRequestSample } from '../test/fixtures/storefronts/shopify.ts';
import { order727, updated } from '../test/fixtures/storefronts/woocommerce.ts';
import type { DemoTenant } from './demo-tenant.ts';

/**
 * Sends a storefront delivery to the running local runtime, signed as the platform signs it:
 * `npm run deliver -- shopify-return` posts Shopify's published `returns/request` sample (ids
 * only) and shows the request it became once its customer was read from the demo shop.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'data-dir': { type: 'string', default: '.local' },
    api: { type: 'string', default: 'http://127.0.0.1:3000' },
  },
});
const what = positionals[0] ?? 'shopify-return';
const demo = JSON.parse(readFileSync(join(values['data-dir'], 'demo-tenant.json'), 'utf8')) as DemoTenant;
const base64Hmac = (secret: string, body: string) =>
  createHmac('sha256', secret).update(body).digest('base64');

async function post(path: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${values.api}${path}`, { method: 'POST', body, headers });
  const text = await response.text();
  console.log(`POST ${path} → ${response.status} ${text}`);
  return text ? (JSON.parse(text) as { requestId?: string }) : {};
}

let answer: { requestId?: string };
switch (what) {
  case 'shopify-return': {
    const body = JSON.stringify(returnsRequestSample);
    answer = await post(`/v1/webhooks/${demo.tenantId}/shopify`, body, {
      'content-type': 'application/json',
      'x-shopify-topic': 'returns/request',
      'x-shopify-hmac-sha256': base64Hmac(demo.webhookSecrets.shopify, body),
      'x-shopify-shop-domain': demo.shopDomain,
      'x-shopify-webhook-id': randomUUID(),
      'x-shopify-event-id': randomUUID(),
      'x-shopify-api-version': '2026-10',
      'x-shopify-triggered-at': new Date().toISOString(),
    });
    break;
  }
  case 'woocommerce-return': {
    const body = JSON.stringify(updated(order727, 'return-requested', new Date().toISOString().slice(0, 19)));
    answer = await post(`/v1/webhooks/${demo.tenantId}/woocommerce`, body, {
      'content-type': 'application/json',
      'x-wc-webhook-topic': 'order.updated',
      'x-wc-webhook-resource': 'order',
      'x-wc-webhook-event': 'updated',
      'x-wc-webhook-signature': base64Hmac(demo.webhookSecrets.woocommerce, body),
      'x-wc-webhook-id': '3',
      'x-wc-webhook-delivery-id': randomUUID().replaceAll('-', ''),
    });
    break;
  }
  case 'woocommerce-ping': {
    answer = await post(`/v1/webhooks/${demo.tenantId}/woocommerce`, 'webhook_id=3', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    break;
  }
  default:
    console.error('Usage: npm run deliver -- shopify-return | woocommerce-return | woocommerce-ping');
    process.exit(2);
}
if (answer.requestId) {
  // The customer is read by the request's lifecycle right after receipt: give it a moment.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const response = await fetch(`${values.api}/v1/requests/${answer.requestId}`, {
    headers: { authorization: `Bearer ${demo.apiKey}` },
  });
  const request = (await response.json()) as Record<string, unknown>;
  const { timeline: _t, breaches: _b, ...shown } = request;
  console.log(JSON.stringify(shown, null, 2));
}
