import { getRequest, recordStep, type StoredRequest } from '../adapters/requests.ts';
import { lastSeenOf, recordOrderStatus, recordOrderSubject } from '../adapters/storefront-deliveries.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import { cancelServiceRequest } from '../shared/cancel-request.ts';
import { derivedId } from '../shared/digests.ts';
import { ValidationError } from '../shared/errors.ts';
import type { HttpResult } from '../shared/http.ts';
import { zodFields } from '../shared/http.ts';
import { openServiceRequest } from '../shared/intake.ts';
import { intakeOfReturnRequest, returnEventSchema } from '../shared/shopify-returns.ts';
import { answered, type Delivery, ignored, parseJson, unauthorized } from './delivery.ts';
import { receiveShopifyPrivacy, SHOPIFY_PRIVACY_TOPICS } from './shopify-privacy.ts';

/**
 * One request per Shopify return, whatever the delivery: its id is derived from the return's
 * id (signed, in the body), not from `X-Shopify-Webhook-Id` (unsigned, new on a redelivery).
 */
export const requestIdOfReturn = (tenantId: string, returnId: string) =>
  derivedId('sr', tenantId, 'shopify', returnId);

/** What each returns topic says the return now is, and whether that state wants service. */
const RETURN_TOPICS: Record<string, { status: string; opens: boolean }> = {
  'returns/request': { status: 'requested', opens: true },
  // A return the merchant created, or approved, or reopened, wants service even unseen before.
  'returns/approve': { status: 'open', opens: true },
  'returns/reopen': { status: 'open', opens: true },
  'returns/update': { status: 'open', opens: true },
  'returns/decline': { status: 'declined', opens: false },
  'returns/cancel': { status: 'canceled', opens: false },
  'returns/close': { status: 'closed', opens: false },
};

const WITHDRAWN = new Set(['declined', 'canceled']);

/**
 * A Shopify delivery, verified (HMAC of the body with the app's secret, from the connected shop:
 * ./verify.ts), by topic, in the order Shopify says things happened (#33): each return keeps what
 * the shop last said of it (`X-Shopify-Triggered-At`), and an older event arriving late (Shopify
 * retries for hours, and may reorder) changes nothing. So a decline or cancel seen before its
 * request means the request never opens (the return's state records it); `returns/request` (and
 * an approve, update or reopen of a return never seen) opens the request at once (the 2-hour clock
 * runs from receipt) and its lifecycle reads the customer from the Admin API; `returns/decline`
 * and `returns/cancel` cancel it; `returns/close` is noted; the privacy topics export or erase
 * (shopify-privacy.ts). Anything else is acknowledged and ignored.
 */
export async function receiveShopify(tenant: StoredTenant, delivery: Delivery): Promise<HttpResult> {
  const shop = tenant.storefronts.shopify;
  if (!shop) throw unauthorized();
  const topic = delivery.header('X-Shopify-Topic') ?? '';
  const at = delivery.receivedAt;
  const triggeredAt = delivery.header('X-Shopify-Triggered-At');
  const details = {
    topic,
    eventId: delivery.header('X-Shopify-Event-Id'),
    webhookId: delivery.header('X-Shopify-Webhook-Id'),
    triggeredAt,
  };
  const payload = parseJson(delivery.raw);
  if (SHOPIFY_PRIVACY_TOPICS.includes(topic))
    return receiveShopifyPrivacy(tenant, topic, shop.shopDomain, payload, at);
  const meaning = RETURN_TOPICS[topic];
  if (!meaning) return ignored(`topic ${topic || '(none)'} is not after-sales work`);
  const parsed = returnEventSchema.safeParse(payload);
  if (!parsed.success)
    throw new ValidationError('The delivery is not a Shopify return', zodFields(parsed.error));
  const returnId = parsed.data.admin_graphql_api_id;
  // When Shopify says it happened; its receipt when it does not say (then order is as received).
  const happenedAt =
    triggeredAt && !Number.isNaN(Date.parse(triggeredAt))
      ? new Date(triggeredAt).toISOString()
      : at.toISOString();
  const seen = await recordOrderStatus(
    tenant.tenantId,
    'shopify-return',
    returnId,
    { status: meaning.status, modifiedAt: happenedAt, opens: meaning.opens },
    at,
  );
  if (seen.stale)
    return ignored(`an older event of ${returnId}: Shopify said since that it is ${seen.current.status}`);
  const requestId = requestIdOfReturn(tenant.tenantId, returnId);

  if (meaning.opens) {
    const mapped = intakeOfReturnRequest(payload, shop, tenant.language, at);
    if (!mapped.ok) throw new ValidationError('The delivery is not a Shopify return', mapped.fields);
    const { request, created } = await openServiceRequest(tenant, mapped.intake, {
      receivedAt: at,
      actor: 'webhook:shopify',
      requestId,
      delivery: Object.fromEntries(
        Object.entries({ ...details, returnId }).filter(([, v]) => v !== undefined),
      ) as Record<string, string>,
    });
    await recordOrderSubject(tenant.tenantId, 'shopify', mapped.orderId, request.requestId);
    // Events are received side by side: a decline or cancel recorded while this request was being
    // opened may have found nothing to cancel yet.
    const now = await lastSeenOf(tenant.tenantId, 'shopify-return', returnId);
    if (now && now.modifiedAt > happenedAt && WITHDRAWN.has(now.status))
      return withdraw(
        request,
        now.status,
        { ...details, topic: `returns/${now.status === 'declined' ? 'decline' : 'cancel'}` },
        at,
      );
    return answered(request, created);
  }

  const request = await getRequest(tenant.tenantId, requestId);
  // Recorded: a request that arrives later (older) finds the return withdrawn and does not open.
  if (!request)
    return ignored(`no service request for ${returnId} yet: its ${meaning.status} state is recorded`);
  if (meaning.status === 'closed') {
    // Noted once: the return's end on the shop's side (the request keeps its own lifecycle).
    const noted = await recordStep(request.tenantId, request.requestId, {
      fields: { storefrontReturnClosedAt: at.toISOString() },
      extraCondition: 'attribute_not_exists(storefrontReturnClosedAt)',
      event: { at: at.toISOString(), type: 'storefront_return_closed', actor: 'webhook:shopify', details },
    });
    return answered(noted ?? request, false);
  }
  const reason =
    meaning.status === 'declined'
      ? `Declined in Shopify: ${[parsed.data.decline?.reason, parsed.data.decline?.note].filter(Boolean).join(' — ') || 'no reason given'}`
      : 'Cancelled in Shopify';
  return withdraw(request, meaning.status, details, at, reason);
}

/** The customer withdrew the return, or the merchant declined it in Shopify: no service is owed. */
async function withdraw(
  request: StoredRequest,
  status: string,
  details: Record<string, unknown>,
  at: Date,
  reason = status === 'declined' ? 'Declined in Shopify' : 'Cancelled in Shopify',
): Promise<HttpResult> {
  const cancelled = await cancelServiceRequest(request, { reason, actor: 'webhook:shopify', at, details });
  return answered(cancelled ?? (await getRequest(request.tenantId, request.requestId)) ?? request, false);
}
