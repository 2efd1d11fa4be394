import { type WooStatusAction, wooStatus, wooStatusAction } from '#domain/tenant.ts';
import { getRequest } from '../adapters/requests.ts';
import { lastSeenOf, type OrderSeen, recordOrderStatus } from '../adapters/storefront-deliveries.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import { cancelServiceRequest } from '../shared/cancel-request.ts';
import { derivedId } from '../shared/digests.ts';
import { ValidationError } from '../shared/errors.ts';
import { type HttpResult, zodFields } from '../shared/http.ts';
import { openServiceRequest } from '../shared/intake.ts';
import { answered, type Delivery, ignored, parseJson, unauthorized } from './delivery.ts';
import { mapWooCommerce, wooModifiedAt, wooOrderSchema } from './mappings.ts';

/** The request one stay of an order in an after-sales status opens: every copy names the same one. */
const requestIdOfStay = (tenantId: string, orderId: string, stay: { status: string; enteredAt: string }) =>
  derivedId('sr', tenantId, 'woocommerce', orderId, stay.status, stay.enteredAt);

/**
 * A WooCommerce `order.updated` delivery, verified (./verify.ts), as WooCommerce behaves (#33):
 * - keyed on what happened (the order, the status, when it entered it), not on
 *   `X-WC-Webhook-Delivery-ID` (a hash of the webhook id and the current second, shared by two
 *   orders updated in one second and different for two updates of one order);
 * - in the order the shop says things happened (`date_modified_gmt`): an older state arriving
 *   late changes nothing;
 * - a status mapped to a kind opens a request (an order without a billing email too, its
 *   customer's details pending); one mapped to `cancel` (by default `return-cancelled`, the common
 *   returns plugins' status, and `cancelled`) withdraws the request the order opened.
 */
export async function receiveWooCommerce(tenant: StoredTenant, delivery: Delivery): Promise<HttpResult> {
  const config = tenant.storefronts.woocommerce;
  if (!config) throw unauthorized();
  const parsed = wooOrderSchema.safeParse(parseJson(delivery.raw));
  if (!parsed.success)
    throw new ValidationError('The delivery is not a WooCommerce order', zodFields(parsed.error));
  const order = parsed.data;
  const at = delivery.receivedAt;
  const orderId = String(order.id);
  const status = wooStatus(order.status);
  const action: WooStatusAction | undefined = wooStatusAction(config.statuses, status);
  const modifiedAt = wooModifiedAt(order);
  // Every status is remembered (so a return to an after-sales status later is seen as new).
  const seen = await recordOrderStatus(
    tenant.tenantId,
    'woocommerce',
    orderId,
    { status, modifiedAt, opens: action !== undefined && action !== 'cancel' },
    at,
  );
  if (seen.stale) return ignored(`an older state of order ${order.id}: it is ${seen.current.status} now`);
  if (action === 'cancel') return withdraw(tenant, orderId, seen.current, at);
  if (!action) return ignored(`order status ${status} is not after-sales work for this tenant`);
  const mapped = mapWooCommerce(order, action, {
    site: delivery.header('X-WC-Webhook-Source') ?? '',
    at,
  });
  if (!mapped.ok) throw new ValidationError('The order cannot be a service request', mapped.fields);
  const { request, created } = await openServiceRequest(tenant, mapped.intake, {
    receivedAt: at,
    actor: 'webhook:woocommerce',
    requestId: requestIdOfStay(tenant.tenantId, orderId, seen.current),
    delivery: Object.fromEntries(
      Object.entries({
        orderId,
        orderStatus: status,
        deliveryId: delivery.header('X-WC-Webhook-Delivery-ID'),
      }).filter(([, v]) => v !== undefined),
    ) as Record<string, string>,
  });
  // Deliveries are received side by side: if the order moved on to a withdrawing status while
  // this request was being opened, that delivery may have found nothing to withdraw yet.
  const now = await lastSeenOf(tenant.tenantId, 'woocommerce', orderId);
  if (now && now.modifiedAt > modifiedAt && wooStatusAction(config.statuses, now.status) === 'cancel')
    return withdraw(tenant, orderId, now, at);
  return answered(request, created);
}

/** The order left its after-sales status for a withdrawing one: the request it opened is cancelled. */
async function withdraw(
  tenant: StoredTenant,
  orderId: string,
  seen: OrderSeen,
  at: Date,
): Promise<HttpResult> {
  if (!seen.opened) return ignored(`order ${orderId} opened no request to withdraw`);
  const request = await getRequest(tenant.tenantId, requestIdOfStay(tenant.tenantId, orderId, seen.opened));
  if (!request) return ignored(`order ${orderId}'s request is not there yet`);
  const cancelled = await cancelServiceRequest(request, {
    reason: `Withdrawn in WooCommerce: the order is ${seen.status}`,
    actor: 'webhook:woocommerce',
    at,
    details: { orderId, orderStatus: seen.status },
  });
  return answered(cancelled ?? (await getRequest(request.tenantId, request.requestId)) ?? request, false);
}
