import { nextLookupAt } from '#domain/customer-lookup.ts';
import { type LifecycleState, type Route, route } from '#domain/lifecycle.ts';
import type { StoredRequest } from '../adapters/requests.ts';
import { policyOf, type StoredTenant } from '../adapters/tenants.ts';

export function lifecycleStateOf(request: StoredRequest): LifecycleState {
  return {
    status: request.status,
    receivedAt: request.receivedAt,
    acknowledgedAt: request.acknowledgedAt,
    terms: request.terms,
    assigneeId: request.assigneeId,
    escalationsTaken: request.escalationsTaken,
    confirmationSent: request.confirmationSent,
    confirmationClaimed: request.confirmationClaimedAt !== undefined,
    cancelledQuietly: request.cancelledQuietly === true,
    cancellationTold: request.cancellationToldAt !== undefined,
    serviceRecordDelivered: request.serviceRecordDelivered,
    survey: request.survey,
    customerLookupAt: nextLookupAt(request.customerLookup),
    customerPending: request.customerLookup !== undefined,
  };
}

/** Where a request's lifecycle stands at `at` (domain/lifecycle.ts `route`, from what is stored). */
export const requestRoute = (request: StoredRequest, tenant: StoredTenant, at: Date): Route =>
  route(lifecycleStateOf(request), policyOf(tenant), at);
