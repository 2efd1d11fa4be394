import { now } from '../adapters/clock.ts';
import { recordOrderStatus } from '../adapters/storefront-deliveries.ts';
import { storefrontSecret } from '../adapters/storefront-secrets.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import { derivedId } from '../shared/digests.ts';
import { ValidationError } from '../shared/errors.ts';
import { type HttpResult, zodFields } from '../shared/http.ts';
import { openServiceRequest } from '../shared/intake.ts';
import { answered, type Delivery, ignored, parseJson, unauthorized } from './delivery.ts';
import { mapWooCommerce, wooModifiedAt, wooOrderSchema } from './mappings.ts';
import { verifyWooCommerce } from './signatures.ts';

/** Saving a webhook in WooCommerce sends this, unsigned, as a form body: it must get a 200. */
export const isWooCommercePing = (raw: Buffer) => /^webhook_id=\d+$/.test(raw.toString('utf8').trim());

/**
 * A WooCommerce `order.updated` delivery: verified, then one request per order entering an
 * after-sales status. Keyed on what happened (the order, the status, when it entered it), not on
 * `X-WC-Webhook-Delivery-ID`: that is a hash of the webhook id and the current second, shared by
 * two orders updated in the same second and different for two updates of one order.
 */
export async function receiveWooCommerce(tenant: StoredTenant, delivery: Delivery): Promise<HttpResult> {
  const config = tenant.storefronts.woocommerce;
  if (!config) throw unauthorized();
  const secret = await storefrontSecret(tenant, 'woocommerce', 'secret');
  if (!secret || !verifyWooCommerce(delivery.raw, delivery.header('X-WC-Webhook-Signature'), secret))
    throw unauthorized();
  const parsed = wooOrderSchema.safeParse(parseJson(delivery.raw));
  if (!parsed.success)
    throw new ValidationError('The delivery is not a WooCommerce order', zodFields(parsed.error));
  const order = parsed.data;
  const at = now();
  // Every status is remembered (so a return to an after-sales status later is seen as new).
  const seen = await recordOrderStatus(
    tenant.tenantId,
    'woocommerce',
    String(order.id),
    { status: order.status, modifiedAt: wooModifiedAt(order) },
    at,
  );
  const kind = config.statuses[order.status];
  if (!kind) return ignored(`order status ${order.status} is not after-sales work for this tenant`);
  if (seen.stale && seen.current.status !== order.status)
    return ignored(`an older state of order ${order.id}: it is ${seen.current.status} now`);
  const enteredAt = seen.stale ? seen.current.enteredAt : seen.enteredAt;
  const mapped = mapWooCommerce(order, kind);
  if (!mapped.ok) throw new ValidationError('The order cannot be a service request', mapped.fields);
  const { request, created } = await openServiceRequest(tenant, mapped.request, {
    receivedAt: at,
    actor: 'webhook:woocommerce',
    requestId: derivedId('sr', tenant.tenantId, 'woocommerce', String(order.id), order.status, enteredAt),
    delivery: Object.fromEntries(
      Object.entries({
        orderId: String(order.id),
        orderStatus: order.status,
        deliveryId: delivery.header('X-WC-Webhook-Delivery-ID'),
      }).filter(([, v]) => v !== undefined),
    ) as Record<string, string>,
  });
  return answered(request, created);
}
