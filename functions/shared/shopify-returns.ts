import type { CustomerLookup } from '#domain/customer-lookup.ts';
import { languageOfLocale } from '#domain/customer-lookup.ts';
import { personName } from '#domain/person-name.ts';
import { type Customer, customerSchema, type Language, type RequestKind } from '#domain/service-request.ts';
import { localDate } from '#domain/working-calendar.ts';
import * as z from '#domain/zod.ts';
import type { ShopifyReturn } from '../adapters/shopify-admin.ts';
import { zodFields } from './http.ts';
import type { RequestIntake } from './intake.ts';

/**
 * Shopify returns as service requests (3.1b, 6.1.1). The `returns/*` webhooks carry ids, the
 * status and the reasons; everything about the customer and the items is read from the Admin
 * GraphQL API afterwards (functions/adapters/shopify-admin.ts).
 */

const gid = (kind: string) => z.string().check(z.regex(new RegExp(`^gid://shopify/${kind}/\\d+$`)));

/** The `returns/request` payload, the parts we use (local/samples/storefronts/shopify.ts). */
const returnRequestSchema = z.object({
  id: z.int().check(z.positive()),
  admin_graphql_api_id: gid('Return'),
  name: z.nullish(z.string()),
  order: z.object({ id: z.int().check(z.positive()), admin_graphql_api_id: gid('Order') }),
  return_line_items: z._default(
    z.array(
      z.object({
        quantity: z.nullish(z.int()),
        return_reason: z.nullish(z.string()),
        return_reason_note: z.nullish(z.string()),
        customer_note: z.nullish(z.string()),
      }),
    ),
    [],
  ),
});

/** `returns/decline`, `returns/cancel`, `returns/close`: which return, and for a decline why. */
export const returnEventSchema = z.object({
  admin_graphql_api_id: gid('Return'),
  status: z.nullish(z.string()),
  decline: z.nullish(z.object({ reason: z.nullish(z.string()), note: z.nullish(z.string()) })),
});

/** Shopify's `ReturnReason` values, in words (the webhook sends them lower case). */
const REASONS: Record<string, Record<Language, string>> = {
  COLOR: { 'zh-CN': '颜色不符', en: 'colour' },
  DEFECTIVE: { 'zh-CN': '商品有缺陷', en: 'defective' },
  NOT_AS_DESCRIBED: { 'zh-CN': '与描述不符', en: 'not as described' },
  OTHER: { 'zh-CN': '其他', en: 'other' },
  SIZE_TOO_LARGE: { 'zh-CN': '尺码过大', en: 'size too large' },
  SIZE_TOO_SMALL: { 'zh-CN': '尺码过小', en: 'size too small' },
  STYLE: { 'zh-CN': '款式', en: 'style' },
  UNKNOWN: { 'zh-CN': '未说明', en: 'not given' },
  UNWANTED: { 'zh-CN': '不想要了', en: 'unwanted' },
  WRONG_ITEM: { 'zh-CN': '发错商品', en: 'wrong item' },
};

/** A reason code (`wrong_item`) or a reason definition's handle (`wrong-item`), in words. */
const reasonWords = (reason: string | null | undefined, language: Language) =>
  reason ? (REASONS[reason.toUpperCase().replaceAll('-', '_')]?.[language] ?? reason) : undefined;

/** One line per returned item: what, how many, why, and what the customer wrote. */
function itemLine(
  language: Language,
  item: {
    title?: string;
    quantity?: number | null;
    reason?: string | null;
    note?: string | null;
    customerNote?: string | null;
  },
): string {
  const zh = language === 'zh-CN';
  const what = item.title ?? (zh ? '商品' : 'Item');
  const why = reasonWords(item.reason, language);
  const notes = [item.note, item.customerNote].filter((n): n is string => Boolean(n?.trim()));
  return [
    `${what}${item.quantity ? ` ×${item.quantity}` : ''}`,
    why ? (zh ? `：${why}` : `: ${why}`) : '',
    notes.length > 0 ? ` — ${notes.join(' / ')}` : '',
  ].join('');
}

/**
 * A signed `returns/request` delivery → the request to open now, its customer to be looked up.
 * Field errors when the payload is not a return at all.
 */
export function intakeOfReturnRequest(
  payload: unknown,
  shop: { shopDomain: string; returnKind: RequestKind },
  language: Language,
  at: Date,
):
  | { ok: true; intake: RequestIntake; returnId: string; orderId: string }
  | { ok: false; fields: Record<string, string[]> } {
  const parsed = returnRequestSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, fields: zodFields(parsed.error) };
  const ret = parsed.data;
  const zh = language === 'zh-CN';
  const lines = ret.return_line_items.map((item) =>
    itemLine(language, {
      quantity: item.quantity,
      reason: item.return_reason,
      note: item.return_reason_note,
      customerNote: item.customer_note,
    }),
  );
  const lookup: CustomerLookup = {
    storefront: 'shopify',
    shopDomain: shop.shopDomain,
    returnId: ret.admin_graphql_api_id,
    orderId: ret.order.admin_graphql_api_id,
    attempts: 0,
    nextAttemptAt: at.toISOString(),
  };
  return {
    ok: true,
    returnId: ret.admin_graphql_api_id,
    orderId: String(ret.order.id),
    intake: {
      kind: shop.returnKind,
      channel: 'shopify',
      customerLookup: lookup,
      // The order's name (#1001) replaces its id once read.
      orderReference: String(ret.order.id),
      description: [zh ? 'Shopify 退货申请' : 'Shopify return request', ...lines].join('\n'),
    },
  };
}

/** What the Admin API told us, as the request's fields (or why it cannot be used). */
export function detailsOfReturn(
  found: ShopifyReturn,
  language: Language,
  timeZone: string,
):
  | {
      ok: true;
      customer: Customer;
      orderReference: string;
      productReference?: string;
      description: string;
      deliveryDate?: string;
    }
  | { ok: false; code: 'no_customer_email'; message: string } {
  const { order } = found;
  const person = order.customer;
  const email = person?.defaultEmailAddress?.emailAddress ?? order.email ?? undefined;
  const candidate = {
    name: personName(person?.firstName, person?.lastName) || email || '',
    email: email ?? '',
    phone: person?.defaultPhoneNumber?.phoneNumber ?? order.phone ?? undefined,
    language: languageOfLocale(person?.locale ?? order.customerLocale),
  };
  const customer = customerSchema.safeParse(
    Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined)),
  );
  if (!customer.success)
    return {
      ok: false,
      code: 'no_customer_email',
      message: `Order ${order.name} has no usable customer email: enter the customer's details`,
    };
  const items = found.returnLineItems.nodes;
  const returned = new Set(
    items.flatMap((item) => (item.fulfillmentLineItem ? [item.fulfillmentLineItem.id] : [])),
  );
  // The warranty runs from delivery (8.1.2): when the returned goods were delivered, else shipped.
  const fulfilment = order.fulfillments.find((f) =>
    f.fulfillmentLineItems.nodes.some((node) => returned.has(node.id)),
  );
  const deliveredAt = fulfilment ? (fulfilment.deliveredAt ?? fulfilment.createdAt) : undefined;
  const titles = items.flatMap((item) => {
    const line = item.fulfillmentLineItem?.lineItem;
    return line ? [line.sku ? `${line.name} (${line.sku})` : line.name] : [];
  });
  const zh = language === 'zh-CN';
  return {
    ok: true,
    customer: customer.data,
    orderReference: order.name,
    productReference: titles.join(', ').slice(0, 200) || undefined,
    description: [
      zh ? `Shopify 退货申请 ${found.name}` : `Shopify return request ${found.name}`,
      ...items.map((item) =>
        itemLine(language, {
          title: item.fulfillmentLineItem?.lineItem.name,
          quantity: item.quantity,
          reason: item.returnReasonDefinition?.handle ?? item.returnReasonDefinition?.name,
          note: item.returnReasonNote,
          customerNote: item.customerNote,
        }),
      ),
    ]
      .join('\n')
      .slice(0, 5000),
    deliveryDate: deliveredAt ? localDate(timeZone, new Date(deliveredAt)) : undefined,
  };
}
