import { createHmac, randomUUID } from 'node:crypto';

/**
 * The headers each platform sends with a delivery, signed as it signs (for the runtime's
 * `npm run deliver`, the bench and the tests: one way to sign a sample).
 */
const base64Hmac = (secret: string, body: string) =>
  createHmac('sha256', secret).update(body).digest('base64');

/** Shopify: https://shopify.dev/docs/apps/build/webhooks/subscribe/https (HMAC-SHA256 of the raw body, base64). */
export function shopifyDeliveryHeaders(
  delivery: { secret: string; shopDomain: string; topic: string; triggeredAt: Date },
  body: string,
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-shopify-topic': delivery.topic,
    'x-shopify-hmac-sha256': base64Hmac(delivery.secret, body),
    'x-shopify-shop-domain': delivery.shopDomain,
    'x-shopify-api-version': '2026-10',
    'x-shopify-webhook-id': randomUUID(),
    'x-shopify-event-id': randomUUID(),
    'x-shopify-triggered-at': delivery.triggeredAt.toISOString(),
  };
}

/**
 * WooCommerce: `X-WC-Webhook-Signature` is the base64 HMAC-SHA256 of the body with the
 * webhook's secret (woocommerce/includes/class-wc-webhook.php `generate_signature`).
 */
export function woocommerceDeliveryHeaders(
  delivery: { secret: string },
  body: string,
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-wc-webhook-topic': 'order.updated',
    'x-wc-webhook-resource': 'order',
    'x-wc-webhook-event': 'updated',
    'x-wc-webhook-signature': base64Hmac(delivery.secret, body),
    'x-wc-webhook-id': '3',
    'x-wc-webhook-delivery-id': randomUUID().replaceAll('-', ''),
  };
}
