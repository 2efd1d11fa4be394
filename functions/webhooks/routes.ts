import * as z from '#domain/zod.ts';
import type { RouteSpec } from '../http/route-spec.ts';
import { genericDeliverySchema } from '../storefronts/mappings.ts';

const tenantId = z.string().check(z.regex(/^[a-z0-9-]{3,40}$/));

const webhook = (storefront: string, body?: z.ZodMiniType): RouteSpec => ({
  operationId: `receive${storefront.charAt(0).toUpperCase()}${storefront.slice(1)}Delivery`,
  method: 'POST',
  path: `/v1/webhooks/{tenantId}/${storefront}`,
  function: 'webhooks',
  auth: 'webhookSignature',
  params: { tenantId },
  ...(body ? { body } : {}),
});

/** The routes webhooks serves (functions/http/route-spec.ts). */
export const webhooksRoutes: readonly RouteSpec[] = [
  webhook('shopify'),
  webhook('woocommerce'),
  webhook('generic', genericDeliverySchema),
];
