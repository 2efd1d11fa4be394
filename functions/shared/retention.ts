import { recipientAddresses } from '#domain/escalation-ladder.ts';
import {
  anonymizeAt,
  contractKeptUntil,
  customerNeededUntil,
  retentionDaysOf,
} from '#domain/personal-data.ts';
import { contractsOfTenant, deleteContractData } from '../adapters/contracts.ts';
import {
  allCustomers,
  customersNeededUntilBefore,
  dataRequestsNotNotified,
  heldSubjectOf,
  markDataRequestNotified,
  postponeCustomerReview,
  setShopRedaction,
  shopRedactionOf,
} from '../adapters/customer-data.ts';
import { sendOnce } from '../adapters/mailer.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import { dataRequestEmail } from '../emails/privacy-emails.ts';
import { eraseCustomer, subjectsOf } from './customer-data.ts';

/**
 * Clause 12: what the daily run keeps no longer than it must. Each part is bounded per run and
 * idempotent: what is left is done on the next day.
 */

/**
 * 12.2: anonymizes the customers whose details no promise has needed for the tenant's retention
 * period, at most `limit` of them (the rest on the next run). Each is looked at as their subjects
 * stand now: one still served, or whose warranty runs longer than the record knew, is looked at
 * again when that ends.
 */
export async function anonymizeExpiredCustomers(
  tenant: StoredTenant,
  at: Date,
  limit: number,
): Promise<{ anonymized: number; postponed: number }> {
  const days = retentionDaysOf(tenant);
  const before = new Date(at.getTime() - days * 86_400_000).toISOString();
  const outcome = { anonymized: 0, postponed: 0 };
  // Every customer looked at leaves the range (anonymized, or needed until later): no paging needed.
  const { customers } = await customersNeededUntilBefore(tenant.tenantId, before, { limit });
  for (const { email } of customers) {
    const subjects = await subjectsOf(tenant.tenantId, email);
    const until = customerNeededUntil(subjects.map((s) => heldSubjectOf(s.subjectId, s.main)));
    if (until === 'open' || (until !== undefined && anonymizeAt(until, days) > at)) {
      await postponeCustomerReview(tenant.tenantId, email, until === 'open' ? at.toISOString() : until);
      outcome.postponed += 1;
      continue;
    }
    await eraseCustomer(
      tenant,
      { email },
      { actor: 'retention', role: 'system', reason: `retention: ${days} days after the last promise` },
      at,
      subjects,
    );
    outcome.anonymized += 1;
  }
  return outcome;
}

/**
 * 12.1: a contract's data (its versions, payment schedule, payments and breaches) is deleted
 * once its confidentiality term after its end has passed. How many contracts were deleted.
 */
export async function deleteExpiredContracts(tenant: StoredTenant, at: Date): Promise<number> {
  let deleted = 0;
  for (const versions of (await contractsOfTenant(tenant.tenantId)).values()) {
    const keptUntil = contractKeptUntil(versions, at);
    if (!keptUntil || keptUntil > at) continue;
    await deleteContractData(tenant.tenantId, versions);
    deleted += 1;
  }
  return deleted;
}

/**
 * Shopify's `shop/redact` (48 hours after the shop uninstalled the app): every customer with a
 * request that came from the shop is erased, `limit` customers looked at per run, from where the
 * last run stopped; the tenant's record of the redaction goes when all have been looked at.
 */
export async function continueShopRedaction(tenant: StoredTenant, at: Date, limit: number): Promise<number> {
  const redaction = await shopRedactionOf(tenant.tenantId);
  if (!redaction) return 0;
  const page = await allCustomers(tenant.tenantId, { limit, after: redaction.after });
  let erased = 0;
  for (const { email } of page.customers) {
    const subjects = await subjectsOf(tenant.tenantId, email);
    if (!subjects.some((s) => s.main.channel === 'shopify')) continue;
    await eraseCustomer(
      tenant,
      { email },
      { actor: 'webhook:shopify', role: 'storefront', reason: `shop/redact from ${redaction.shopDomain}` },
      at,
      subjects,
    );
    erased += 1;
  }
  await setShopRedaction(tenant.tenantId, page.after ? { ...redaction, after: page.after } : undefined);
  return erased;
}

/**
 * Tells the tenant's first escalation level of each storefront data request not told yet: the
 * export is ready to hand over (the email names the request, not the customer). Once each.
 */
export async function notifyDataRequests(tenant: StoredTenant, at: Date): Promise<number> {
  const to = recipientAddresses(tenant.escalationLadder.levels[0]?.recipients ?? [], tenant.staff);
  let told = 0;
  for (const request of await dataRequestsNotNotified(tenant.tenantId)) {
    if (to.length > 0)
      await sendOnce(
        tenant,
        `data-request:${request.dataRequestId}`,
        dataRequestEmail(to, { language: tenant.language, ...request }),
      );
    await markDataRequestNotified(tenant.tenantId, request.dataRequestId, at);
    told += 1;
  }
  return told;
}
