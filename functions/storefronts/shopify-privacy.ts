import * as z from '#domain/zod.ts';
import { recordShopRedacted, startShopRedaction } from '../adapters/customer-data.ts';
import { forgetOrderSubjects, subjectIdsOfOrders } from '../adapters/storefront-deliveries.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import { answerDataRequest, eraseCustomer, subjectsByIds, subjectsOf } from '../shared/customer-data.ts';
import { ValidationError } from '../shared/errors.ts';
import { type HttpResult, json, zodFields } from '../shared/http.ts';
import { ignored } from './delivery.ts';

/**
 * Shopify's mandatory privacy webhooks, verified like every Shopify delivery (the caller did):
 * https://shopify.dev/docs/apps/build/privacy-law-compliance. Their payloads, as published there:
 *
 * - `customers/data_request`: `{ shop_id, shop_domain, orders_requested: [id…],
 *   customer: { id, email, phone }, data_request: { id } }`: the customer's data is exported
 *   for the merchant to hand over, and the tenant told by the daily run (answerDataRequest);
 * - `customers/redact`: `{ shop_id, shop_domain, customer: { id, email, phone }, orders_to_redact }`:
 *   the customer is erased, and with them every request opened from those orders (whatever
 *   email it names now: the customer may have changed it in the shop, or not been looked up yet);
 * - `shop/redact` (48 hours after the shop uninstalled the app): `{ shop_id, shop_domain }`:
 *   every customer of the shop is erased by the daily run, in pages.
 */
export const SHOPIFY_PRIVACY_TOPICS = ['customers/data_request', 'customers/redact', 'shop/redact'];

const shopifyId = z.union([z.number(), z.string()]);
const customerSchema = z.looseObject({
  id: z.optional(z.nullable(shopifyId)),
  email: z.optional(z.nullable(z.string())),
  phone: z.optional(z.nullable(z.string())),
});
const dataRequestSchema = z.looseObject({
  shop_domain: z.string(),
  customer: customerSchema,
  orders_requested: z.optional(z.array(shopifyId)),
  data_request: z.looseObject({ id: shopifyId }),
});
const customerRedactSchema = z.looseObject({
  shop_domain: z.string(),
  customer: customerSchema,
  orders_to_redact: z.optional(z.array(shopifyId)),
});
const shopRedactSchema = z.looseObject({ shop_domain: z.string() });

/** The payload, read as its topic's, and about the connected shop. */
function payloadOf<S extends z.ZodMiniType<{ shop_domain: string }>>(
  schema: S,
  topic: string,
  shopDomain: string,
  payload: unknown,
): z.infer<S> {
  const parsed = schema.safeParse(payload);
  if (!parsed.success)
    throw new ValidationError(`The delivery is not a Shopify ${topic}`, zodFields(parsed.error));
  if (parsed.data.shop_domain.toLowerCase() !== shopDomain)
    throw new ValidationError('The delivery names another shop', { shop_domain: ['not the connected shop'] });
  return parsed.data;
}

const by = { actor: 'webhook:shopify', role: 'storefront' };

export async function receiveShopifyPrivacy(
  tenant: StoredTenant,
  topic: string,
  shopDomain: string,
  payload: unknown,
  at: Date,
): Promise<HttpResult> {
  if (topic === 'shop/redact') {
    payloadOf(shopRedactSchema, topic, shopDomain, payload);
    await startShopRedaction(tenant.tenantId, { shopDomain, requestedAt: at.toISOString() });
    // Its requests still reading their customer end at their next attempt (customer-lookup.ts).
    await recordShopRedacted(tenant.tenantId, shopDomain, at);
    return json(200, { redaction: 'scheduled', by: 'the next daily run' });
  }
  if (topic === 'customers/redact') {
    const { customer, orders_to_redact } = payloadOf(customerRedactSchema, topic, shopDomain, payload);
    const orderIds = (orders_to_redact ?? []).map(String);
    const subjects = [
      ...(customer.email ? await subjectsOf(tenant.tenantId, customer.email) : []),
      ...(await subjectsByIds(
        tenant.tenantId,
        await subjectIdsOfOrders(tenant.tenantId, 'shopify', orderIds),
      )),
    ].filter((subject, i, all) => all.findIndex((s) => s.subjectId === subject.subjectId) === i);
    if (!customer.email && subjects.length === 0)
      return ignored('no email and no request of these orders: nothing is held about this customer');
    const outcome = await eraseCustomer(
      tenant,
      { email: customer.email ?? undefined, phones: customer.phone ? [customer.phone] : [] },
      { ...by, reason: 'customers/redact from Shopify' },
      at,
      subjects,
    );
    await forgetOrderSubjects(tenant.tenantId, 'shopify', orderIds);
    return json(200, { erased: outcome.subjects.length });
  }
  const { customer, data_request } = payloadOf(dataRequestSchema, topic, shopDomain, payload);
  if (!customer.email) return ignored('no email: nothing is held about a customer without one');
  const request = await answerDataRequest(
    tenant,
    { source: 'shopify', dataRequestId: `shopify-${data_request.id}`, email: customer.email },
    by,
    at,
  );
  return json(200, { dataRequestId: request.dataRequestId, subjects: request.subjects });
}
