import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { requestIdOfReturn } from '#functions/storefronts/shopify.ts';
import type { DemoTenant } from './demo-tenant.ts';
import { returnsRequestSample } from './samples/storefronts/shopify.ts';
import { shopifyDeliveryHeaders, woocommerceDeliveryHeaders } from './samples/storefronts/signed.ts';
import { order727, updated } from './samples/storefronts/woocommerce.ts';

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

async function post(path: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${values.api}${path}`, { method: 'POST', body, headers });
  const text = await response.text();
  console.log(`POST ${path} → ${response.status} ${text}`);
  return response.status;
}

const api = async (path: string) =>
  (await (
    await fetch(`${values.api}${path}`, { headers: { authorization: `Bearer ${demo.apiKey}` } })
  ).json()) as Record<string, unknown>;

/** The request a delivery became: it is kept (202), then made a request from the inbox. */
let requestOf: (() => Promise<string | undefined>) | undefined;
switch (what) {
  case 'shopify-return': {
    const body = JSON.stringify(returnsRequestSample);
    requestOf = async () => requestIdOfReturn(demo.tenantId, returnsRequestSample.admin_graphql_api_id);
    await post(
      `/v1/webhooks/${demo.tenantId}/shopify`,
      body,
      shopifyDeliveryHeaders(
        {
          secret: demo.webhookSecrets.shopify,
          shopDomain: demo.shopDomain,
          topic: 'returns/request',
          triggeredAt: new Date(),
        },
        body,
      ),
    );
    break;
  }
  case 'woocommerce-return': {
    const body = JSON.stringify(updated(order727, 'return-requested', new Date().toISOString().slice(0, 19)));
    requestOf = async () => {
      const { items } = (await api('/v1/requests?limit=200')) as {
        items: { requestId: string; orderReference?: string }[];
      };
      return items.filter((r) => r.orderReference === String(order727.number)).at(-1)?.requestId;
    };
    await post(
      `/v1/webhooks/${demo.tenantId}/woocommerce`,
      body,
      woocommerceDeliveryHeaders({ secret: demo.webhookSecrets.woocommerce }, body),
    );
    break;
  }
  case 'woocommerce-ping': {
    await post(`/v1/webhooks/${demo.tenantId}/woocommerce`, 'webhook_id=3', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    break;
  }
  default:
    console.error('Usage: npm run deliver -- shopify-return | woocommerce-return | woocommerce-ping');
    process.exit(2);
}
if (requestOf) {
  // Made a request from the inbox, its customer read by its lifecycle right after: a moment.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const requestId = await requestOf();
  if (requestId) {
    const { timeline: _t, breaches: _b, ...shown } = await api(`/v1/requests/${requestId}`);
    console.log(JSON.stringify(shown, null, 2));
  }
}
