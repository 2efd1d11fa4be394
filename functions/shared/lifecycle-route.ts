import { type FeedbackPhase, feedbackRoute } from '../../domain/feedback-case.ts';
import { type LifecycleState, type Route, route } from '../../domain/lifecycle.ts';
import type { StoredFeedbackCase } from '../adapters/feedback-cases.ts';
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

export type RoutedFeedback = {
  tenantId: string;
  feedbackId: string;
  phase?: FeedbackPhase;
  waitSeconds?: number;
};

export function routeOfFeedback(
  feedback: StoredFeedbackCase,
  tenant: StoredTenant,
  at: Date,
): RoutedFeedback {
  return {
    tenantId: feedback.tenantId,
    feedbackId: feedback.feedbackId,
    ...feedbackRoute(feedback, policyOf(tenant), at),
  };
}
