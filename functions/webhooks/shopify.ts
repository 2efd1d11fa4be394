import { now } from '../adapters/clock.ts';
import { getRequest, recordStep } from '../adapters/requests.ts';
import { storefrontSecret } from '../adapters/storefront-secrets.ts';
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
import { verifyShopify } from './signatures.ts';

/**
 * One request per Shopify return, whatever the delivery: its id is derived from the return's
 * id (signed, in the body), not from `X-Shopify-Webhook-Id` (unsigned, new on a redelivery).
 */
const requestIdOfReturn = (tenantId: string, returnId: string) =>
  derivedId('sr', tenantId, 'shopify', returnId);

/**
 * A Shopify delivery: verified (HMAC of the body with the app's secret, from the connected shop),
 * then by topic: `returns/request` opens the request at once (the 2-hour clock runs from receipt)
 * and its lifecycle reads the customer from the Admin API; `returns/decline` and `returns/cancel`
 * cancel it; `returns/close` is noted; the privacy topics export or erase (shopify-privacy.ts).
 * Anything else is acknowledged and ignored.
 */
export async function receiveShopify(tenant: StoredTenant, delivery: Delivery): Promise<HttpResult> {
  const shop = tenant.storefronts.shopify;
  if (!shop) throw unauthorized();
  const secret = await storefrontSecret(tenant, 'shopify', 'secret');
  if (!secret || !verifyShopify(delivery.raw, delivery.header('X-Shopify-Hmac-Sha256'), secret))
    throw unauthorized();
  if (delivery.header('X-Shopify-Shop-Domain')?.toLowerCase() !== shop.shopDomain) throw unauthorized();
  const topic = delivery.header('X-Shopify-Topic') ?? '';
  const details = {
    topic,
    eventId: delivery.header('X-Shopify-Event-Id'),
    webhookId: delivery.header('X-Shopify-Webhook-Id'),
  };
  const payload = parseJson(delivery.raw);
  const at = now();
  if (SHOPIFY_PRIVACY_TOPICS.includes(topic))
    return receiveShopifyPrivacy(tenant, topic, shop.shopDomain, payload, at);

  if (topic === 'returns/request') {
    const mapped = intakeOfReturnRequest(payload, shop, tenant.language, at);
    if (!mapped.ok) throw new ValidationError('The delivery is not a Shopify return', mapped.fields);
    const { request, created } = await openServiceRequest(tenant, mapped.intake, {
      receivedAt: at,
      actor: 'webhook:shopify',
      requestId: requestIdOfReturn(tenant.tenantId, mapped.returnId),
      delivery: Object.fromEntries(
        Object.entries({ ...details, returnId: mapped.returnId }).filter(([, v]) => v !== undefined),
      ) as Record<string, string>,
    });
    return answered(request, created);
  }

  if (!['returns/decline', 'returns/cancel', 'returns/close'].includes(topic))
    return ignored(`topic ${topic || '(none)'} is not after-sales work`);
  const parsed = returnEventSchema.safeParse(payload);
  if (!parsed.success)
    throw new ValidationError('The delivery is not a Shopify return', zodFields(parsed.error));
  const event = parsed.data;
  const request = await getRequest(
    tenant.tenantId,
    requestIdOfReturn(tenant.tenantId, event.admin_graphql_api_id),
  );
  if (!request) return ignored(`no service request for ${event.admin_graphql_api_id}`);

  if (topic === 'returns/close') {
    // Noted once: the return's end on the shop's side (the request keeps its own lifecycle).
    const noted = await recordStep(request.tenantId, request.requestId, {
      fields: { storefrontReturnClosedAt: at.toISOString() },
      extraCondition: 'attribute_not_exists(storefrontReturnClosedAt)',
      event: { at: at.toISOString(), type: 'storefront_return_closed', actor: 'webhook:shopify', details },
    });
    return answered(noted ?? request, false);
  }
  // The customer withdrew the return, or the merchant declined it in Shopify: no service is owed.
  const reason =
    topic === 'returns/decline'
      ? `Declined in Shopify: ${[event.decline?.reason, event.decline?.note].filter(Boolean).join(' — ') || 'no reason given'}`
      : 'Cancelled in Shopify';
  const cancelled = await cancelServiceRequest(request, { reason, actor: 'webhook:shopify', at, details });
  return answered(cancelled ?? (await getRequest(request.tenantId, request.requestId)) ?? request, false);
}
