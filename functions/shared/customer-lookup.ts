import { nextLookupAttempt } from '#domain/customer-lookup.ts';
import { shopRedactedAt } from '../adapters/customer-data.ts';
import { getRequest, recordStep, type StoredRequest } from '../adapters/requests.ts';
import { type LookupFailure, lookUpShopifyReturn } from '../adapters/shopify-admin.ts';
import { storefrontSecret } from '../adapters/storefront-secrets.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import { alarmedLogMessages } from './alarmed-logs.ts';
import { cancelServiceRequest } from './cancel-request.ts';
import { storeCustomerDetails } from './customer-details.ts';
import { openComplaintCase } from './intake.ts';
import { logger } from './logger.ts';

/** A lookup Shopify denies (a scope or an approval missing) is tried again a day later. */
const ACCESS_DENIED_RETRY_SECONDS = 24 * 3600;

import { detailsOfReturn } from './shopify-returns.ts';

/**
 * One attempt to read a request's customer from its storefront. Found: the details are stored
 * and the lookup ends (a complaint's feedback case opens now that there is a person). Not found,
 * or the shop unreachable: the next attempt is scheduled (domain/customer-lookup.ts) and the
 * request keeps showing "customer details pending"; staff may enter them meanwhile. Returns
 * the request as it is afterwards.
 */
export async function attemptCustomerLookup(
  tenant: StoredTenant,
  request: StoredRequest,
  at: Date,
): Promise<StoredRequest> {
  const lookup = request.customerLookup;
  // Only a Shopify return's customer is looked up; a WooCommerce order's waits for staff.
  if (lookup?.storefront !== 'shopify') return request;
  const shop = tenant.storefronts.shopify;
  const token = await storefrontSecret(tenant, 'shopify', 'adminAccessToken');
  let failure: LookupFailure | { code: string; message: string } | undefined;
  if (!shop || !token || shop.shopDomain !== lookup.shopDomain) {
    failure = { code: 'not_connected', message: `The shop ${lookup.shopDomain} is not connected (settings)` };
  } else {
    const result = await lookUpShopifyReturn(lookup.shopDomain, token, lookup.returnId);
    if (result.ok) {
      const language = tenant.language;
      const details = detailsOfReturn(result.found, language, tenant.timeZone);
      if (details.ok) {
        const { ok: _ok, ...found } = details;
        const updated = await storeCustomerDetails(
          request,
          found,
          { at, type: 'customer_details_found', actor: 'shopify', details: { return: result.found.name } },
          { onlyWhilePending: true },
        );
        const current = updated ?? (await getRequest(request.tenantId, request.requestId)) ?? request;
        await openComplaintCase(tenant, current, 'shopify');
        return current;
      }
      failure = details;
    } else {
      failure = result.failure;
    }
  }
  // The shop uninstalled the app and asked to be redacted: nothing will be read from it again.
  if (
    failure.code === 'unauthorized' ||
    failure.code === 'not_connected' ||
    failure.code === 'access_denied'
  ) {
    const redactedAt = await shopRedactedAt(request.tenantId, lookup.shopDomain);
    if (redactedAt) {
      const cancelled = await cancelServiceRequest(
        request,
        {
          reason: `The shop ${lookup.shopDomain} was removed (Shopify shop/redact, ${redactedAt}): its customer can no longer be read`,
          actor: 'webhook:shopify',
          at,
          details: { shopDomain: lookup.shopDomain, redactedAt },
        },
        { wake: false },
      );
      return cancelled ?? (await getRequest(request.tenantId, request.requestId)) ?? request;
    }
  }
  const attempts = lookup.attempts + 1;
  const retryAfter = 'retryAfterSeconds' in failure ? failure.retryAfterSeconds : undefined;
  // Access the merchant must grant is not retried blindly: a day later, alarmed (its reason names it).
  const denied = failure.code === 'access_denied';
  const nextAttemptAt = (
    denied
      ? new Date(at.getTime() + ACCESS_DENIED_RETRY_SECONDS * 1000)
      : nextLookupAttempt(attempts, at, retryAfter)
  ).toISOString();
  if (denied && lookup.lastFailure?.code !== 'access_denied')
    logger.error(alarmedLogMessages.shopifyAccessDenied.message, {
      tenantId: request.tenantId,
      requestId: request.requestId,
      shopDomain: lookup.shopDomain,
      reason: failure.message,
    });
  logger.warn('Customer lookup failed', {
    requestId: request.requestId,
    attempts,
    failure: failure.code,
    reason: failure.message,
    nextAttemptAt,
  });
  const changed = lookup.lastFailure?.code !== failure.code;
  const updated = await recordStep(request.tenantId, request.requestId, {
    fields: {
      customerLookup: {
        ...lookup,
        attempts,
        nextAttemptAt,
        lastFailure: { code: failure.code, message: failure.message, at: at.toISOString() },
      },
    },
    // Only the attempt it read: a concurrent attempt or staff's entry wins.
    expect: { 'customerLookup.attempts': lookup.attempts },
    // The timeline says when the reason changes, not at every retry.
    event: changed
      ? {
          at: at.toISOString(),
          type: 'customer_lookup_failed',
          actor: 'system',
          details: { code: failure.code, message: failure.message, nextAttemptAt },
        }
      : undefined,
  });
  return updated ?? (await getRequest(request.tenantId, request.requestId)) ?? request;
}
