import { z } from 'zod';
import { isoDateSchema } from '../../domain/calendar-date.ts';
import { personName } from '../../domain/person-name.ts';
import {
  customerSchema,
  type NewServiceRequest,
  newServiceRequestSchema,
  type RequestKind,
} from '../../domain/service-request.ts';
import { zodFields } from '../shared/http.ts';

/**
 * Storefront payloads → a new service request. Each mapping reads only the fields it needs and
 * says which are missing, so an unmappable delivery gets a 422 with field errors.
 */
export type Mapped =
  | { ok: true; request: NewServiceRequest }
  | { ok: false; fields: Record<string, string[]> };

function finish(candidate: unknown): Mapped {
  const parsed = newServiceRequestSchema.safeParse(candidate);
  return parsed.success ? { ok: true, request: parsed.data } : { ok: false, fields: zodFields(parsed.error) };
}

const shopifyPerson = z.object({
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  phone: z.string().nullish(),
});

/** The Shopify Return resource (`returns/request`), the parts we use. */
const shopifyReturnSchema = z.object({
  id: z.number(),
  name: z.string().nullish(),
  order: z
    .object({
      id: z.number(),
      name: z.string().nullish(),
      email: z.string().nullish(),
      customer: shopifyPerson.nullish(),
    })
    .nullish(),
  customer: shopifyPerson.nullish(),
  customer_email: z.string().nullish(),
  return_line_items: z
    .array(
      z.object({
        quantity: z.number().nullish(),
        return_reason: z.string().nullish(),
        return_reason_note: z.string().nullish(),
        customer_note: z.string().nullish(),
        fulfillment_line_item: z
          .object({
            line_item: z.object({ name: z.string().nullish(), sku: z.string().nullish() }).nullish(),
          })
          .nullish(),
      }),
    )
    .default([]),
});

const fullName = (person?: { first_name?: string | null; last_name?: string | null } | null) =>
  personName(person?.first_name, person?.last_name);

export function mapShopify(topic: string, payload: unknown, kind: RequestKind): Mapped {
  const parsed = shopifyReturnSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, fields: zodFields(parsed.error) };
  const ret = parsed.data;
  const person = ret.customer ?? ret.order?.customer ?? undefined;
  const email = ret.customer_email ?? person?.email ?? ret.order?.email ?? undefined;
  const items = ret.return_line_items;
  const reasons = items
    .map((item) =>
      [
        item.fulfillment_line_item?.line_item?.name,
        item.return_reason,
        item.return_reason_note,
        item.customer_note,
      ]
        .filter(Boolean)
        .join(': '),
    )
    .filter(Boolean);
  return finish({
    kind,
    channel: 'shopify',
    customer: {
      name: fullName(person) || email || '',
      email: email ?? '',
      phone: person?.phone ?? undefined,
    },
    orderReference: ret.order?.name ?? (ret.order ? String(ret.order.id) : undefined),
    productReference:
      items
        .map((item) => item.fulfillment_line_item?.line_item?.name)
        .filter(Boolean)
        .join(', ') || undefined,
    description: reasons.join('\n') || `${topic} ${ret.name ?? ret.id}`,
  });
}

/** The WooCommerce order resource (`order.updated`), the parts we use. */
const wooOrderSchema = z.object({
  id: z.number(),
  number: z.union([z.string(), z.number()]).nullish(),
  status: z.string(),
  customer_note: z.string().nullish(),
  billing: z.object({
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
    email: z.string().nullish(),
    phone: z.string().nullish(),
  }),
  line_items: z.array(z.object({ name: z.string().nullish(), sku: z.string().nullish() })).default([]),
  date_completed: z.string().nullish(),
});

export function mapWooCommerce(
  payload: unknown,
  statuses: Record<string, RequestKind>,
): Mapped | { ok: 'ignored'; reason: string } {
  const parsed = wooOrderSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, fields: zodFields(parsed.error) };
  const order = parsed.data;
  const kind = statuses[order.status];
  if (!kind)
    return { ok: 'ignored', reason: `order status ${order.status} is not after-sales work for this tenant` };
  const products = order.line_items
    .map((item) => item.name)
    .filter(Boolean)
    .join(', ');
  return finish({
    kind,
    channel: 'woocommerce',
    customer: {
      name: fullName(order.billing) || order.billing.email || '',
      email: order.billing.email ?? '',
      phone: order.billing.phone || undefined,
    },
    orderReference: String(order.number ?? order.id),
    productReference: products || undefined,
    deliveryDate: order.date_completed ? order.date_completed.slice(0, 10) : undefined,
    description: order.customer_note || `Order ${order.number ?? order.id} is ${order.status}`,
  });
}

/**
 * Our documented JSON for any storefront or web form (6.1.1). The same fields as a staff entry,
 * less the staff-only ones.
 */
export const genericDeliverySchema = z
  .object({
    kind: newServiceRequestSchema.shape.kind,
    customer: customerSchema,
    orderReference: z.string().trim().max(120).optional(),
    productReference: z.string().trim().max(200).optional(),
    deliveryDate: isoDateSchema.optional(),
    description: z.string().trim().min(1).max(5000),
    contractId: z.string().trim().min(1).max(80).optional(),
  })
  .strict();

export function mapGeneric(payload: unknown): Mapped {
  const parsed = genericDeliverySchema.safeParse(payload);
  if (!parsed.success) return { ok: false, fields: zodFields(parsed.error) };
  return finish({ ...parsed.data, channel: 'generic_webhook' });
}
