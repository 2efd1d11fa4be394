import { isoDateSchema } from './calendar-date.ts';
import * as z from './zod.ts';

/** Clause 3.1a/b/c and 3.2c: what a customer may ask for. */
export const requestKinds = [
  'repair',
  'replacement',
  'return',
  'consultation',
  'technical_support',
  'follow_up_visit',
  'complaint',
] as const;
export const requestKindSchema = z.enum(requestKinds);
export type RequestKind = z.infer<typeof requestKindSchema>;

export { kindName } from './kind-names.ts';

export {
  canTransition,
  openRequestStatuses,
  type RequestStatus,
  requestStatuses,
  type StaffAction,
  statusesAllowing,
} from './request-status.ts';

/** Clause 6.1.1: the provider's official channels. */
export const channelSchema = z.enum([
  'phone',
  'api',
  'web_form',
  'shopify',
  'woocommerce',
  'generic_webhook',
]);
export type Channel = z.infer<typeof channelSchema>;

export const languageSchema = z.enum(['zh-CN', 'en']);
export type Language = z.infer<typeof languageSchema>;

export const customerSchema = z.strictObject({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  email: z.string().check(z.trim(), z.email(), z.maxLength(254)),
  phone: z.optional(z.string().check(z.trim(), z.maxLength(40))),
  /** Customer-facing emails use this; otherwise the tenant's language (zh-CN by default, clause 14.2). */
  language: z.optional(languageSchema),
});
export type Customer = z.infer<typeof customerSchema>;

/** What a staff member (or a storefront mapping) submits to open a service request. */
export const newServiceRequestSchema = z.strictObject({
  kind: requestKindSchema,
  customer: customerSchema,
  orderReference: z.optional(z.string().check(z.trim(), z.maxLength(120))),
  productReference: z.optional(z.string().check(z.trim(), z.maxLength(200))),
  /** Delivery date of the goods: the one-year warranty runs from it (8.1.2). */
  deliveryDate: z.optional(isoDateSchema),
  description: z.string().check(z.trim(), z.minLength(1), z.maxLength(5000)),
  channel: z._default(channelSchema, 'api'),
  /** A signed contract; without one the tenant's default terms apply. */
  contractId: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(80))),
  /** Staff member answerable for the request (receives the "approaching deadline" warning). */
  assigneeId: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(80))),
});
export type NewServiceRequest = z.infer<typeof newServiceRequestSchema>;
