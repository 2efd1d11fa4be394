import { feedbackRoute } from '../../domain/feedback-case.ts';
import type { BurstTrigger } from '../../domain/watched-subject.ts';
import { getFeedbackCase, recordFeedbackStep, type StoredFeedbackCase } from '../adapters/feedback-cases.ts';
import type { BurstFields, WatchedKind } from '../adapters/lifecycle-watch.ts';
import { getRequest, recordStep, type StoredRequest } from '../adapters/requests.ts';
import { getTenant, policyOf } from '../adapters/tenants.ts';
import { requestRoute } from './lifecycle-route.ts';
import { type WatchedSubjectKind, wake } from './watched-subject.ts';

/** The two kinds of watched subject, as the mechanism (./watched-subject.ts) sees them. */

/** A kind from how its subject is read; reading it with its tenant is the same for every kind. */
function watchedKind<S extends BurstFields>(
  spec: Omit<WatchedSubjectKind<S>, 'load'> & { get(tenantId: string, id: string): Promise<S | undefined> },
): WatchedSubjectKind<S> {
  return {
    ...spec,
    async load(tenantId, id) {
      const [subject, tenant] = await Promise.all([spec.get(tenantId, id), getTenant(tenantId)]);
      return subject && tenant ? { subject, tenant } : undefined;
    },
  };
}

export const watchedRequests = watchedKind<StoredRequest>({
  kind: 'request',
  lifecycleOf: (tenantId, requestId) => ({ workflow: 'serviceRequest', tenantId, requestId }),
  get: getRequest,
  route: requestRoute,
  write: recordStep,
});

export const watchedFeedback = watchedKind<StoredFeedbackCase>({
  kind: 'feedback',
  lifecycleOf: (tenantId, feedbackId) => ({ workflow: 'feedbackCase', tenantId, feedbackId }),
  get: getFeedbackCase,
  route: (feedback, tenant, at) => feedbackRoute(feedback, policyOf(tenant), at),
  write: recordFeedbackStep,
});

export const watchedKinds = { request: watchedRequests, feedback: watchedFeedback } satisfies Record<
  WatchedKind,
  WatchedSubjectKind<StoredRequest> | WatchedSubjectKind<StoredFeedbackCase>
>;

/**
 * A burst acts on a request now (./watched-subject.ts `wake`): staff's change by default; intake
 * expects generation 0.
 */
export const wakeRequest = (
  request: { tenantId: string; requestId: string },
  trigger: BurstTrigger = 'staff',
  expectGeneration: number | null = null,
) => wake(watchedRequests, request.tenantId, request.requestId, trigger, expectGeneration);

export const wakeFeedback = (
  feedback: { tenantId: string; feedbackId: string },
  trigger: BurstTrigger = 'staff',
  expectGeneration: number | null = null,
) => wake(watchedFeedback, feedback.tenantId, feedback.feedbackId, trigger, expectGeneration);
