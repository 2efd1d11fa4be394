import { type LifecycleState, type Route, route } from '../../domain/lifecycle.ts';
import type { StoredRequest } from '../adapters/requests.ts';
import { policyOf, type StoredTenant } from '../adapters/tenants.ts';
import { resumeWaitingWorkflow } from '../adapters/workflows.ts';

export function lifecycleStateOf(request: StoredRequest): LifecycleState {
  return {
    status: request.status,
    receivedAt: request.receivedAt,
    acknowledgedAt: request.acknowledgedAt,
    terms: request.terms,
    assigneeId: request.assigneeId,
    escalationsTaken: request.escalationsTaken,
    confirmationSent: request.confirmationSent,
    serviceRecordDelivered: request.serviceRecordDelivered,
    survey: request.survey,
    customerLookupAt: request.customerLookup?.nextAttemptAt,
  };
}

/** What the workflow's "Route by phase" reads: the ids and where the request stands now. */
export type RoutedRequest = { tenantId: string; requestId: string } & Route;

export function routeOf(request: StoredRequest, tenant: StoredTenant, now: Date): RoutedRequest {
  return {
    tenantId: request.tenantId,
    requestId: request.requestId,
    ...route(lifecycleStateOf(request), policyOf(tenant), now),
  };
}

/**
 * After staff changed a request: answers the workflow's waiting task with the request's new
 * route, so it goes straight to the next phase (or re-plans its timers) without re-reading.
 */
export async function wakeLifecycle(request: StoredRequest, tenant: StoredTenant, now: Date): Promise<void> {
  await resumeWaitingWorkflow(request.callbackToken, routeOf(request, tenant, now));
}
