import { now } from '../adapters/clock.ts';
import { getTenant, type StoredTenant } from '../adapters/tenants.ts';
import { type RouteContext, serveRoutes } from '../http/router.ts';
import { DomainError, ValidationError } from '../shared/errors.ts';
import { type HttpEvent, type HttpResult, json } from '../shared/http.ts';
import { openServiceRequest, requestIdForDelivery } from '../shared/intake.ts';
import { type Mapped, mapGeneric, mapShopify, mapWooCommerce } from './mappings.ts';
import { verifyGeneric, verifyShopify, verifyWooCommerce } from './signatures.ts';

/** Storefront deliveries are small; anything larger is refused before it is read. */
const MAX_WEBHOOK_BYTES = 256 * 1024;

type Storefront = 'shopify' | 'woocommerce' | 'generic';

/** One answer for every authentication failure: no hint which tenant, secret or clock was wrong. */
const unauthorized = () => new DomainError(401, 'Unauthorized', 'The delivery could not be authenticated');

const header = (event: HttpEvent, name: string) => event.headers[name.toLowerCase()];

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new DomainError(400, 'MalformedJson', 'The delivery body is not valid JSON');
  }
}

/** Verifies the delivery, reads its id and maps its payload; nothing is stored before all pass. */
function authenticateAndMap(
  storefront: Storefront,
  tenant: StoredTenant,
  event: HttpEvent,
  raw: Buffer,
): { deliveryId: string; mapped: Mapped | { ok: 'ignored'; reason: string } } {
  const at = now();
  if (storefront === 'shopify') {
    const config = tenant.storefronts.shopify;
    if (!config || !verifyShopify(raw, header(event, 'X-Shopify-Hmac-Sha256'), config.secret))
      throw unauthorized();
    const deliveryId = header(event, 'X-Shopify-Webhook-Id');
    if (!deliveryId) throw new DomainError(400, 'MissingDeliveryId', 'X-Shopify-Webhook-Id is required');
    const topic = header(event, 'X-Shopify-Topic') ?? '';
    const kind = config.topics[topic];
    const payload = parseJson(raw);
    if (!kind)
      return {
        deliveryId,
        mapped: { ok: 'ignored', reason: `topic ${topic || '(none)'} is not enabled for after-sales work` },
      };
    return { deliveryId, mapped: mapShopify(topic, payload, kind) };
  }
  if (storefront === 'woocommerce') {
    const config = tenant.storefronts.woocommerce;
    if (!config || !verifyWooCommerce(raw, header(event, 'X-WC-Webhook-Signature'), config.secret))
      throw unauthorized();
    const deliveryId = header(event, 'X-WC-Webhook-Delivery-ID');
    if (!deliveryId) throw new DomainError(400, 'MissingDeliveryId', 'X-WC-Webhook-Delivery-ID is required');
    // WooCommerce pings a new webhook with a form body `webhook_id=<id>`: acknowledge it.
    if (/^webhook_id=\d+$/.test(raw.toString('utf8')))
      return { deliveryId, mapped: { ok: 'ignored', reason: 'ping' } };
    return { deliveryId, mapped: mapWooCommerce(parseJson(raw), config.statuses) };
  }
  const config = tenant.storefronts.generic;
  if (!config || !verifyGeneric(raw, header(event, 'X-Signature'), config.secret, at)) throw unauthorized();
  const deliveryId = header(event, 'Idempotency-Key');
  if (!deliveryId || deliveryId.length > 200) {
    throw new ValidationError('Idempotency-Key header is required', {
      'Idempotency-Key': ['required, at most 200 characters'],
    });
  }
  return { deliveryId, mapped: mapGeneric(parseJson(raw)) };
}

/**
 * `POST /v1/webhooks/{tenantId}/{shopify|woocommerce|generic}`: authenticate, map, store the
 * request and start its lifecycle; nothing slow inline (Shopify wants a 2xx within seconds).
 * Every copy of a delivery names the same request, so a retry answers 200 with the same id.
 */
async function receive({ event, params }: RouteContext): Promise<HttpResult> {
  const storefront = event.routeKey.split('/').at(-1) as Storefront;
  const raw = event.body
    ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8')
    : Buffer.alloc(0);
  if (raw.length > MAX_WEBHOOK_BYTES)
    throw new DomainError(413, 'PayloadTooLarge', `Deliveries are limited to ${MAX_WEBHOOK_BYTES} bytes`);

  const tenant = await getTenant(params.tenantId!);
  if (!tenant) throw unauthorized();

  const { deliveryId, mapped } = authenticateAndMap(storefront, tenant, event, raw);
  if (mapped.ok === 'ignored') return json(200, { ignored: true, reason: mapped.reason });
  if (!mapped.ok)
    throw new ValidationError('The delivery cannot be mapped to a service request', mapped.fields);

  const { request, created } = await openServiceRequest(tenant, mapped.request, {
    receivedAt: now(),
    actor: `webhook:${storefront}`,
    requestId: requestIdForDelivery(tenant.tenantId, storefront, deliveryId),
    delivery: { deliveryId },
  });
  return json(created ? 201 : 200, {
    requestId: request.requestId,
    status: request.status,
    duplicate: !created,
  });
}

export const handler = serveRoutes('webhooks', {
  receiveShopifyDelivery: receive,
  receiveWoocommerceDelivery: receive,
  receiveGenericDelivery: receive,
});
