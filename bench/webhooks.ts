import { getRequest } from '#functions/adapters/requests.ts';
import { requestIdOfReturn } from '#functions/storefronts/shopify.ts';
import { type DrivenRuntime, send } from '#local/driver/runtime.ts';
import { anotherReturn } from '#local/samples/storefronts/shopify.ts';
import { shopifyDeliveryHeaders, woocommerceDeliveryHeaders } from '#local/samples/storefronts/signed.ts';
import { order727, updated } from '#local/samples/storefronts/woocommerce.ts';
import { orderLikeTheSample } from '#local/shopify-demo-shop.ts';
import { pool, quantile } from './measure.ts';

/**
 * A storefront's delivery answered (#33): how long Shopify and WooCommerce wait for our 2xx with
 * the inbox in the path (signature checked over the raw bytes, the delivery kept in the queue,
 * answered), and how long until every delivery kept has become its request (the inbox's
 * consumer: dedupe, mapping, the request opened, Shopify's Admin API read for the customer).
 * Shopify's timeout is 5 s and WooCommerce's is 5 s as well: the answer must come well inside.
 */
export async function webhookBench(runtime: DrivenRuntime) {
  const rows: Record<string, string>[] = [];
  const { tenantId, webhookSecrets, shopDomain } = runtime.demo;
  let next = 900_000;
  for (const platform of ['shopify', 'woocommerce'] as const) {
    for (const concurrency of [1, 16]) {
      const count = 200;
      const numbers = Array.from({ length: count }, () => next++);
      if (platform === 'shopify')
        for (const n of numbers)
          runtime.shopify.addOrder(
            shopDomain,
            orderLikeTheSample(n, {
              firstName: 'Mei',
              lastName: `Sun${n}`,
              email: `c${n}@customer.example`,
              locale: 'en',
            }),
          );
      const started = performance.now();
      const latencies = await pool(count, concurrency, async (i) => {
        const n = numbers[i]!;
        const body =
          platform === 'shopify'
            ? JSON.stringify(anotherReturn(n))
            : JSON.stringify({
                ...updated(order727, 'return-requested', new Date().toISOString().slice(0, 19)),
                id: n,
                number: String(n),
              });
        const headers =
          platform === 'shopify'
            ? shopifyDeliveryHeaders(
                {
                  secret: webhookSecrets.shopify,
                  shopDomain,
                  topic: 'returns/request',
                  triggeredAt: new Date(),
                },
                body,
              )
            : woocommerceDeliveryHeaders({ secret: webhookSecrets.woocommerce }, body);
        const t = performance.now();
        const response = await send(`${runtime.urls.api}/v1/webhooks/${tenantId}/${platform}`, {
          method: 'POST',
          headers,
          body,
        });
        if (response.status !== 202) throw new Error(`${platform} delivery answered ${response.status}`);
        return performance.now() - t;
      });
      const answered = (performance.now() - started) / 1000;
      await runtime.settled();
      const processed = (performance.now() - started) / 1000;
      if (platform === 'shopify') {
        const opened = await Promise.all(
          numbers.map((n) => getRequest(tenantId, requestIdOfReturn(tenantId, `gid://shopify/Return/${n}`))),
        );
        const missing = opened.filter((r) => !r?.customer).length;
        if (missing > 0)
          throw new Error(`${missing} Shopify returns did not become requests with their customer`);
      }
      if (runtime.storefrontInboxDeadLetters().length > 0) throw new Error('deliveries were dead-lettered');
      latencies.sort((a, b) => a - b);
      rows.push({
        platform,
        concurrency: String(concurrency),
        deliveries: String(count),
        'answered/s': (count / answered).toFixed(0),
        'answer p50': `${quantile(latencies, 0.5).toFixed(1)} ms`,
        'answer p95': `${quantile(latencies, 0.95).toFixed(1)} ms`,
        'all requests opened after': `${processed.toFixed(1)} s`,
      });
    }
  }
  console.log(
    '\nStorefront deliveries: signed POST → kept in the inbox → 202 (answer time), then each made its request from the inbox (local runtime, one process)',
  );
  console.table(rows);
}
