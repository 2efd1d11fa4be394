import { createAdminApiClient } from '@shopify/admin-api-client';
import * as z from '#domain/zod.ts';
import { alarmedLogMessages } from '../shared/alarmed-logs.ts';
import { logger } from '../shared/logger.ts';
import { config } from './config.ts';
import { SHOPIFY_API_VERSION } from './shopify-version.ts';

/**
 * The Shopify Admin GraphQL API, through Shopify's own client, at the pinned version
 * (./shopify-version.ts). A `returns/request` webhook names a return by id only: its customer,
 * order name and items are read here.
 */

/** How long one call may take: the step that makes it has 30 s, and a failed call is retried later. */
const CALL_TIMEOUT_MS = 8_000;

const RETURN_QUERY = /* GraphQL */ `
  query ReturnForServiceRequest($id: ID!) {
    return(id: $id) {
      id
      name
      status
      order {
        id
        name
        email
        phone
        customerLocale
        customer {
          firstName
          lastName
          locale
          defaultEmailAddress {
            emailAddress
          }
          defaultPhoneNumber {
            phoneNumber
          }
        }
        fulfillments(first: 20) {
          createdAt
          deliveredAt
          fulfillmentLineItems(first: 100) {
            nodes {
              id
            }
          }
        }
      }
      returnLineItems(first: 50) {
        nodes {
          quantity
          returnReasonDefinition {
            handle
            name
          }
          returnReasonNote
          customerNote
          ... on ReturnLineItem {
            fulfillmentLineItem {
              id
              lineItem {
                name
                sku
              }
            }
          }
        }
      }
    }
  }
`;

/** What the query returns, checked: a changed API shows as a clear error, not as `undefined`s. */
const returnSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  order: z.object({
    id: z.string(),
    name: z.string(),
    email: z.nullish(z.string()),
    phone: z.nullish(z.string()),
    customerLocale: z.nullish(z.string()),
    customer: z.nullish(
      z.object({
        firstName: z.nullish(z.string()),
        lastName: z.nullish(z.string()),
        locale: z.nullish(z.string()),
        defaultEmailAddress: z.nullish(z.object({ emailAddress: z.nullish(z.string()) })),
        defaultPhoneNumber: z.nullish(z.object({ phoneNumber: z.nullish(z.string()) })),
      }),
    ),
    fulfillments: z.array(
      z.object({
        createdAt: z.string(),
        deliveredAt: z.nullish(z.string()),
        fulfillmentLineItems: z.object({ nodes: z.array(z.object({ id: z.string() })) }),
      }),
    ),
  }),
  returnLineItems: z.object({
    nodes: z.array(
      z.object({
        quantity: z.number(),
        returnReasonDefinition: z.nullish(z.object({ handle: z.string(), name: z.string() })),
        returnReasonNote: z.nullish(z.string()),
        customerNote: z.nullish(z.string()),
        fulfillmentLineItem: z.nullish(
          z.object({ id: z.string(), lineItem: z.object({ name: z.string(), sku: z.nullish(z.string()) }) }),
        ),
      }),
    ),
  }),
});
export type ShopifyReturn = z.infer<typeof returnSchema>;

/**
 * Why a lookup did not give the return: each is retried later, the code says what staff see.
 * `access_denied`: Shopify answered, but the app may not read it (a scope missing, such as
 * `read_returns` or `read_all_orders` for an order older than 60 days, or protected customer
 * data not approved): the merchant must change the app's access, so it is alarmed and tried only
 * daily, not hourly (#33).
 */
export type LookupFailure = {
  code: 'unauthorized' | 'throttled' | 'unavailable' | 'not_found' | 'access_denied' | 'unexpected';
  message: string;
  /** What Shopify asked for (`Retry-After`), when it did. */
  retryAfterSeconds?: number;
};

/**
 * Calls go to `https://<shop>` on AWS. Locally, `SHOPIFY_ADMIN_ORIGIN` sends them to the local
 * stand-in instead, same client, same request, the shop in the path (local/shopify.ts).
 */
function fetchFor(shopDomain: string): typeof fetch {
  const origin = config().SHOPIFY_ADMIN_ORIGIN;
  return async (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    const target = origin ? `${origin}/shops/${shopDomain}${url.pathname}${url.search}` : url.toString();
    const response = await fetch(target, { ...init, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
    // Shopify says so when a query uses something deprecated: alarmed, so the query is moved on
    // before the pinned version ends (shopify.dev/docs/api/usage/versioning).
    const deprecated = response.headers.get('x-shopify-api-deprecated-reason');
    if (deprecated)
      logger.warn(alarmedLogMessages.shopifyApiDeprecated.message, {
        shopDomain,
        reason: deprecated,
        version: SHOPIFY_API_VERSION,
      });
    return response;
  };
}

export async function lookUpShopifyReturn(
  shopDomain: string,
  accessToken: string,
  returnId: string,
): Promise<{ ok: true; found: ShopifyReturn } | { ok: false; failure: LookupFailure }> {
  const client = createAdminApiClient({
    storeDomain: shopDomain,
    apiVersion: SHOPIFY_API_VERSION,
    accessToken,
    // Our lifecycle retries with backoff, durably; the client must not sleep inside a step.
    retries: 0,
    customFetchApi: fetchFor(shopDomain),
    logger: () => undefined,
  });
  const { data, errors } = await client.request<{ return: unknown }>(RETURN_QUERY, {
    variables: { id: returnId },
  });
  const denied = errors?.graphQLErrors?.find(
    (e) => (e as { extensions?: { code?: string } }).extensions?.code === 'ACCESS_DENIED',
  ) as { message?: string; extensions?: { requiredAccess?: string } } | undefined;
  if (denied)
    return {
      ok: false,
      failure: {
        code: 'access_denied',
        message: `Shopify denies the app access: ${denied.extensions?.requiredAccess ?? denied.message ?? 'a scope is missing'} (grant it to the app in Shopify, then wait for the next attempt or enter the details)`,
      },
    };
  if (errors) {
    const status = errors.networkStatusCode;
    const retryAfter = Number(errors.response?.headers.get('Retry-After'));
    const throttled = errors.graphQLErrors?.some(
      (e) => (e as { extensions?: { code?: string } }).extensions?.code === 'THROTTLED',
    );
    if (status === 401 || status === 403)
      return {
        ok: false,
        failure: { code: 'unauthorized', message: `Shopify answered ${status}: check the Admin API token` },
      };
    if (status === 429 || throttled)
      return {
        ok: false,
        failure: {
          code: 'throttled',
          message: 'Shopify asked us to slow down',
          retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
        },
      };
    if (status === undefined || status >= 500)
      return {
        ok: false,
        failure: { code: 'unavailable', message: errors.message ?? `Shopify answered ${status}` },
      };
    if (!data)
      return {
        ok: false,
        failure: { code: 'unexpected', message: errors.message ?? `Shopify answered ${status}` },
      };
  }
  if (!data?.return)
    return { ok: false, failure: { code: 'not_found', message: `The shop has no return ${returnId}` } };
  const parsed = returnSchema.safeParse(data.return);
  if (!parsed.success)
    return {
      ok: false,
      failure: { code: 'unexpected', message: `Unexpected return shape: ${parsed.error.message}` },
    };
  return { ok: true, found: parsed.data };
}
