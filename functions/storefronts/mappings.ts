import { isoDateSchema } from '#domain/calendar-date.ts';
import { personName } from '#domain/person-name.ts';
import {
  customerSchema,
  type NewServiceRequest,
  newServiceRequestSchema,
  type RequestKind,
} from '#domain/service-request.ts';
import * as z from '#domain/zod.ts';
import { zodFields } from '../shared/http.ts';
import type { RequestIntake } from '../shared/intake.ts';
import { decodeWordPressEntities } from './wordpress-entities.ts';

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
 * local/samples/storefronts/woocommerce.ts), the parts we use.
 */
export const wooOrderSchema = z.object({
  id: z.int().check(z.positive()),
  number: z.nullish(z.union([z.string(), z.number()])),
  status: z.string().check(z.minLength(1)),
  date_modified: z.nullish(z.string()),
  date_modified_gmt: z.nullish(z.string()),
  date_completed: z.nullish(z.string()),
  customer_note: z.nullish(z.string()),
  billing: z.object({
    first_name: z.nullish(z.string()),
    last_name: z.nullish(z.string()),
    email: z.nullish(z.string()),
    phone: z.nullish(z.string()),
  }),
  line_items: z._default(
    z.array(
      z.object({ name: z.nullish(z.string()), sku: z.nullish(z.string()), quantity: z.nullish(z.number()) }),
    ),
    [],
  ),
});
export type WooOrder = z.infer<typeof wooOrderSchema>;

/** When the order last changed, in UTC (`date_modified_gmt`; the site's time when that is missing). */
export const wooModifiedAt = (order: WooOrder) => order.date_modified_gmt ?? order.date_modified ?? '';

/** Billing names in the customer's order: family name first for CJK names (domain/person-name.ts). */
const fullName = (person: { first_name?: string | null; last_name?: string | null }) =>
  personName(person.first_name, person.last_name);

/**
 * An order that entered an after-sales status → the request it opens. An order without a billing
 * email (taken by phone, at a counter) is a request all the same, its customer's details pending
 * for staff to enter (#33): the billing name and phone it has are in its description.
 */
export function mapWooCommerce(
  order: WooOrder,
  kind: RequestKind,
  source: { site: string; at: Date },
): { ok: true; intake: RequestIntake } | { ok: false; fields: Record<string, string[]> } {
  // WooCommerce sends product names HTML-escaped ("Ship Your Idea &ndash; Color: Black").
  const items = order.line_items.flatMap((item) => {
    const name = item.name ? decodeWordPressEntities(item.name) : '';
    if (!name) return [];
    return [
      `${name}${item.sku ? ` (${item.sku})` : ''}${item.quantity && item.quantity > 1 ? ` ×${item.quantity}` : ''}`,
    ];
  });
  const orderNumber = String(order.number ?? order.id);
  const name = fullName(order.billing);
  const email = order.billing.email?.trim() ?? '';
  const customer = { name: name || email, email, phone: order.billing.phone || undefined };
  const known = customerSchema.safeParse(customer).success;
  const mapped = finish({
    kind,
    channel: 'woocommerce',
    // Stands in while the details are pending: the request's own fields are checked all the same.
    customer: known ? customer : { name: 'pending', email: 'pending@customer.invalid' },
    orderReference: orderNumber,
    productReference: items.join(', ').slice(0, 200) || undefined,
    deliveryDate: order.date_completed ? order.date_completed.slice(0, 10) : undefined,
    description: [
      order.customer_note?.trim() || `Order ${orderNumber}: ${order.status}`,
      ...(known
        ? []
        : [`Billing: ${[name, order.billing.phone].filter(Boolean).join(', ') || 'none given'}`]),
      ...items,
    ]
      .join('\n')
      .slice(0, 5000),
  });
  if (!mapped.ok) return mapped;
  if (known) return { ok: true, intake: mapped.request };
  const { customer: _placeholder, ...rest } = mapped.request;
  return {
    ok: true,
    intake: {
      ...rest,
      customerLookup: {
        storefront: 'woocommerce',
        shopDomain: source.site,
        orderId: String(order.id),
        attempts: 0,
        lastFailure: {
          code: 'no_email',
          message: 'The order has no billing email: enter the customer’s details',
          at: source.at.toISOString(),
        },
      },
    },
  };
}

/**
 * Our documented JSON for any storefront or web form (6.1.1). The same fields as a staff entry,
 * less the staff-only ones.
 */
export const genericDeliverySchema = z.strictObject({
  kind: newServiceRequestSchema.shape.kind,
  customer: customerSchema,
  orderReference: z.optional(z.string().check(z.trim(), z.maxLength(120))),
  productReference: z.optional(z.string().check(z.trim(), z.maxLength(200))),
  deliveryDate: z.optional(isoDateSchema),
  description: z.string().check(z.trim(), z.minLength(1), z.maxLength(5000)),
  contractId: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(80))),
});

export function mapGeneric(payload: unknown): Mapped {
  const parsed = genericDeliverySchema.safeParse(payload);
  if (!parsed.success) return { ok: false, fields: zodFields(parsed.error) };
  return finish({ ...parsed.data, channel: 'generic_webhook' });
}
