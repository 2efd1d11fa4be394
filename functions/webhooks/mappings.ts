import { decodeHTML } from 'entities';
import * as z from 'zod';
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

/**
 * The WooCommerce order resource (`order.updated` delivers the order as the REST API shows it,
 * test/fixtures/storefronts/woocommerce.ts), the parts we use.
 */
export const wooOrderSchema = z.object({
  id: z.number().int().positive(),
  number: z.union([z.string(), z.number()]).nullish(),
  status: z.string().min(1),
  date_modified: z.string().nullish(),
  date_modified_gmt: z.string().nullish(),
  date_completed: z.string().nullish(),
  customer_note: z.string().nullish(),
  billing: z.object({
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
    email: z.string().nullish(),
    phone: z.string().nullish(),
  }),
  line_items: z
    .array(
      z.object({ name: z.string().nullish(), sku: z.string().nullish(), quantity: z.number().nullish() }),
    )
    .default([]),
});
export type WooOrder = z.infer<typeof wooOrderSchema>;

/** When the order last changed, in UTC (`date_modified_gmt`; the site's time when that is missing). */
export const wooModifiedAt = (order: WooOrder) => order.date_modified_gmt ?? order.date_modified ?? '';

/** Billing names in the customer's order: family name first for CJK names (domain/person-name.ts). */
const fullName = (person: { first_name?: string | null; last_name?: string | null }) =>
  personName(person.first_name, person.last_name);

/** An order that entered an after-sales status → the request it opens. */
export function mapWooCommerce(order: WooOrder, kind: RequestKind): Mapped {
  // WooCommerce sends product names HTML-escaped ("Ship Your Idea &ndash; Color: Black").
  const items = order.line_items.flatMap((item) => {
    const name = item.name ? decodeHTML(item.name) : '';
    if (!name) return [];
    return [
      `${name}${item.sku ? ` (${item.sku})` : ''}${item.quantity && item.quantity > 1 ? ` ×${item.quantity}` : ''}`,
    ];
  });
  const orderNumber = String(order.number ?? order.id);
  return finish({
    kind,
    channel: 'woocommerce',
    customer: {
      name: fullName(order.billing) || order.billing.email || '',
      email: order.billing.email ?? '',
      phone: order.billing.phone || undefined,
    },
    orderReference: orderNumber,
    productReference: items.join(', ').slice(0, 200) || undefined,
    deliveryDate: order.date_completed ? order.date_completed.slice(0, 10) : undefined,
    description: [order.customer_note?.trim() || `Order ${orderNumber}: ${order.status}`, ...items]
      .join('\n')
      .slice(0, 5000),
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
