import { getTenant } from '../adapters/tenants.ts';
import { type RouteContext, serveRoutes } from '../http/router.ts';
import { DomainError } from '../shared/errors.ts';
import type { HttpResult } from '../shared/http.ts';
import { type Delivery, ignored, unauthorized } from './delivery.ts';
import { receiveGeneric } from './generic.ts';
import { webhooksRoutes } from './routes.ts';
import { receiveShopify } from './shopify.ts';
import { isWooCommercePing, receiveWooCommerce } from './woocommerce.ts';

/** Storefront deliveries are small; anything larger is refused before it is read. */
const MAX_WEBHOOK_BYTES = 256 * 1024;

const receivers = {
  shopify: receiveShopify,
  woocommerce: receiveWooCommerce,
  generic: receiveGeneric,
};

/**
 * `POST /v1/webhooks/{tenantId}/{shopify|woocommerce|generic}`: authenticate, then hand the
 * delivery to its storefront's receiver. Nothing slow inline (Shopify wants a 2xx within
 * seconds): a request is stored and its lifecycle started, everything else follows from there.
 */
async function receive({ event, params }: RouteContext): Promise<HttpResult> {
  const storefront = event.routeKey.split('/').at(-1) as keyof typeof receivers;
  const raw = event.body
    ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8')
    : Buffer.alloc(0);
  if (raw.length > MAX_WEBHOOK_BYTES)
    throw new DomainError(413, 'PayloadTooLarge', `Deliveries are limited to ${MAX_WEBHOOK_BYTES} bytes`);
  // WooCommerce's ping is unsigned and names nothing: answered before anything is read or stored.
  if (storefront === 'woocommerce' && isWooCommercePing(raw)) return ignored('ping');

  const tenant = await getTenant(params.tenantId!);
  // A suspended tenant receives nothing: the storefront retries, and gives up.
  if (!tenant || tenant.suspendedAt) throw unauthorized();
  const delivery: Delivery = { event, raw, header: (name) => event.headers[name.toLowerCase()] };
  return receivers[storefront](tenant, delivery);
}

export const handler = serveRoutes('webhooks', webhooksRoutes, {
  receiveShopifyDelivery: receive,
  receiveWoocommerceDelivery: receive,
  receiveGenericDelivery: receive,
});
