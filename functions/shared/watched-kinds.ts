import type { BurstTrigger } from '../../domain/watched-subject.ts';
import { getFeedbackCase, recordFeedbackStep, type StoredFeedbackCase } from '../adapters/feedback-cases.ts';
import type { WatchedKind } from '../adapters/lifecycle-watch.ts';
import { getRequest, recordStep, type StoredRequest } from '../adapters/requests.ts';
import { getTenant } from '../adapters/tenants.ts';
import { routeOf, routeOfFeedback } from './lifecycle-route.ts';
import { type WatchedSubjectKind, wake } from './watched-subject.ts';

/** The two kinds of watched subject, as the mechanism (./watched-subject.ts) sees them. */

export const watchedRequests: WatchedSubjectKind<StoredRequest> = {
  kind: 'request',
  lifecycleOf: (tenantId, requestId) => ({ workflow: 'serviceRequest', tenantId, requestId }),
  async load(tenantId, requestId) {
    const [subject, tenant] = await Promise.all([getRequest(tenantId, requestId), getTenant(tenantId)]);
    return subject && tenant ? { subject, tenant } : undefined;
  },
  route: (request, tenant, at) => routeOf(request, tenant, at),
  write: (tenantId, requestId, update) => recordStep(tenantId, requestId, update),
};

export const watchedFeedback: WatchedSubjectKind<StoredFeedbackCase> = {
  kind: 'feedback',
  lifecycleOf: (tenantId, feedbackId) => ({ workflow: 'feedbackCase', tenantId, feedbackId }),
  async load(tenantId, feedbackId) {
    const [subject, tenant] = await Promise.all([getFeedbackCase(tenantId, feedbackId), getTenant(tenantId)]);
    return subject && tenant ? { subject, tenant } : undefined;
  },
  route(feedback, tenant, at) {
    const { phase, waitSeconds } = routeOfFeedback(feedback, tenant, at);
    return { phase: phase ?? 'end', waitSeconds: waitSeconds ?? 0 };
  },
  write: (tenantId, feedbackId, update) => recordFeedbackStep(tenantId, feedbackId, update),
};

export const watchedKinds = { request: watchedRequests, feedback: watchedFeedback } satisfies Record<
  WatchedKind,
  WatchedSubjectKind<StoredRequest> | WatchedSubjectKind<StoredFeedbackCase>
>;

/** A request staff or its customer changed: a burst acts on it now (./watched-subject.ts `wake`). */
export const wakeRequest = (
  request: { tenantId: string; requestId: string },
  trigger: BurstTrigger = 'staff',
) => wake(watchedRequests, request.tenantId, request.requestId, trigger);

export const wakeFeedback = (
  feedback: { tenantId: string; feedbackId: string },
  trigger: BurstTrigger = 'staff',
) => wake(watchedFeedback, feedback.tenantId, feedback.feedbackId, trigger);
