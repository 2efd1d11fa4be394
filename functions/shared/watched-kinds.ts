import { feedbackRoute } from '../../domain/feedback-case.ts';
import type { BurstTrigger } from '../../domain/watched-subject.ts';
import {
  feedbackCaseFromItem,
  recordFeedbackStep,
  type StoredFeedbackCase,
} from '../adapters/feedback-cases.ts';
import type { BurstFields, WatchedKind } from '../adapters/lifecycle-watch.ts';
import { recordStep, requestFromItem, type StoredRequest } from '../adapters/requests.ts';
import { getItems, keys } from '../adapters/table.ts';
import { policyOf, tenantFromItem } from '../adapters/tenants.ts';
import { requestRoute } from './lifecycle-route.ts';
import { type WatchedSubjectKind, wake } from './watched-subject.ts';

/** The two kinds of watched subject, as the mechanism (./watched-subject.ts) sees them. */

/** A kind from where its subject is kept; reading it with its tenant is the same for every kind. */
function watchedKind<S extends BurstFields>(
  spec: Omit<WatchedSubjectKind<S>, 'load'> & {
    key(tenantId: string, id: string): { pk: string; sk: string };
    fromItem(item: object): S;
  },
): WatchedSubjectKind<S> {
  return {
    ...spec,
    // One call for both, read consistently (the subject must be; the tenant costs half a read unit more).
    async load(tenantId, id) {
      const [subject, tenant] = await getItems([spec.key(tenantId, id), keys.tenant(tenantId)]);
      return subject && tenant
        ? {
            subject: spec.fromItem(subject),
            tenant: tenantFromItem(tenant),
            watch: (subject as { gsi3sk?: string }).gsi3sk,
          }
        : undefined;
    },
  };
}

export const watchedRequests = watchedKind<StoredRequest>({
  kind: 'request',
  lifecycleOf: (tenantId, requestId) => ({ workflow: 'serviceRequest', tenantId, requestId }),
  key: keys.request,
  fromItem: requestFromItem,
  route: requestRoute,
  write: recordStep,
});

export const watchedFeedback = watchedKind<StoredFeedbackCase>({
  kind: 'feedback',
  lifecycleOf: (tenantId, feedbackId) => ({ workflow: 'feedbackCase', tenantId, feedbackId }),
  key: keys.feedbackCase,
  fromItem: feedbackCaseFromItem,
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
