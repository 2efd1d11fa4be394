import { now } from '../adapters/clock.ts';
import { keepDelivery } from '../adapters/storefront-inbox.ts';
import { getTenant, type StoredTenant } from '../adapters/tenants.ts';
import { type ContextOf, type OperationId, serveRoutes } from '../http/router.ts';
import { DomainError, isTransientAwsError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { type HttpResult, json } from '../shared/http.ts';
import { logger } from '../shared/logger.ts';
import {
  deliveryOf,
  ignored,
  isWooCommercePing,
  type KeptDelivery,
  parseJson,
  STOREFRONT_HEADERS,
  type Storefront,
  unauthorized,
} from '../storefronts/delivery.ts';
import { mapGeneric } from '../storefronts/mappings.ts';
import { verifyDelivery } from '../storefronts/verify.ts';
import { webhooksRoutes } from './routes.ts';

type Context<Id extends OperationId<typeof webhooksRoutes>> = ContextOf<typeof webhooksRoutes, Id>;

/**
 * Storefront deliveries are small; anything larger is refused before it is read (an SQS message
 * holds up to 1 MiB: the body is kept base64, a third larger).
 */
const MAX_WEBHOOK_BYTES = 256 * 1024;

/**
 * `POST /v1/webhooks/{tenantId}/{shopify|woocommerce|generic}`: storage first (#33). The delivery
 * is authenticated (its signature over the raw bytes), kept in the storefront inbox, and only
 * then answered 202; turning it into requests happens from the inbox (functions/storefront-inbox),
 * retried until it can. It is refused only for what no retry can fix: a bad signature, a tenant
 * or storefront that is not there, a body too large. When the secret cannot be read (DynamoDB or
 * SSM down), the delivery is kept unverified and the inbox checks it: WooCommerce tries once, so
 * an outage here must not cost a return.
 */
async function receive({ event, params }: Context<OperationId<typeof webhooksRoutes>>): Promise<HttpResult> {
  const storefront = event.routeKey.split('/').at(-1) as Storefront;
  const raw = event.body
    ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8')
    : Buffer.alloc(0);
  if (raw.length > MAX_WEBHOOK_BYTES)
    throw new DomainError(413, 'PayloadTooLarge', `Deliveries are limited to ${MAX_WEBHOOK_BYTES} bytes`);
  const kept: KeptDelivery = {
    tenantId: params.tenantId!,
    storefront,
    receivedAt: now().toISOString(),
    headers: Object.fromEntries(
      STOREFRONT_HEADERS[storefront].flatMap((name) => {
        const value = event.headers[name];
        return value === undefined ? [] : [[name, value]];
      }),
    ),
    body: raw.toString('base64'),
    verified: false,
  };
  const delivery = deliveryOf(kept);
  let tenant: StoredTenant | undefined;
  let verified: boolean;
  try {
    tenant = await getTenant(kept.tenantId);
    // WooCommerce's ping (unsigned, naming nothing) when a webhook is saved: 200 only where
    // WooCommerce is connected, so a mistyped URL is not saved and then failed.
    if (storefront === 'woocommerce' && isWooCommercePing(raw)) {
      if (!tenant?.storefronts.woocommerce || tenant.suspendedAt)
        throw new NotFoundError('WooCommerce connection');
      return ignored('ping');
    }
    // A suspended tenant receives nothing: the storefront retries, and gives up.
    if (!tenant || tenant.suspendedAt) throw unauthorized();
    verified = await verifyDelivery(tenant, storefront, delivery);
  } catch (error) {
    if (!isTransientAwsError(error)) throw error;
    logger.warn('Storefront delivery kept unverified: its secret could not be read', {
      tenantId: kept.tenantId,
      storefront,
      error,
    });
    refuseWhatNoRetryCures(storefront, raw);
    return accepted(await keepDelivery(kept), false);
  }
  if (!verified) throw unauthorized();
  refuseWhatNoRetryCures(storefront, raw);
  return accepted(await keepDelivery({ ...kept, verified: true }), true);
}

/**
 * A body no retry can make a request is refused now, while the sender is listening: one that is
 * not JSON (400) and, for our own generic format, one that is not a request (422, with the
 * fields). A storefront's own payloads are taken as they come (a WooCommerce order without an
 * email is still a request, its details pending).
 */
function refuseWhatNoRetryCures(storefront: Storefront, raw: Buffer): void {
  const payload = parseJson(raw);
  if (storefront !== 'generic') return;
  const mapped = mapGeneric(payload);
  if (!mapped.ok)
    throw new ValidationError('The delivery cannot be mapped to a service request', mapped.fields);
}

const accepted = (deliveryId: string, verified: boolean) =>
  json(202, { accepted: true, deliveryId, verified });

export const handler = serveRoutes('webhooks', webhooksRoutes, {
  receiveShopifyDelivery: receive,
  receiveWoocommerceDelivery: receive,
  receiveGenericDelivery: receive,
});
