import * as z from '#domain/zod.ts';
import type { RouteSpec } from '../http/route-spec.ts';
import { genericDeliverySchema } from '../storefronts/mappings.ts';

const tenantId = z.string().check(z.regex(/^[a-z0-9-]{3,40}$/));

/** A storefront's deliveries: authenticated by its signature, the body read only after it (functions/webhooks). */
const webhook = <const Id extends string, const Storefront extends string>(
  operationId: Id,
  storefront: Storefront,
) =>
  ({
    operationId,
    method: 'POST',
    path: `/v1/webhooks/{tenantId}/${storefront}`,
    function: 'webhooks',
    auth: 'webhookSignature',
    params: { tenantId },
  }) as const;

/** The routes webhooks serves (functions/http/route-spec.ts). */
export const webhooksRoutes = [
  webhook('receiveShopifyDelivery', 'shopify'),
  webhook('receiveWoocommerceDelivery', 'woocommerce'),
  { ...webhook('receiveGenericDelivery', 'generic'), body: genericDeliverySchema },
] as const satisfies readonly RouteSpec[];
