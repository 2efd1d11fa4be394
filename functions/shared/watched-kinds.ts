import { feedbackRoute } from '#domain/feedback-case.ts';
import type { BurstTrigger } from '#domain/watched-subject.ts';
import { heldSubjectOf, recordCustomerSubject, type SubjectFields } from '../adapters/customer-data.ts';
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

/**
 * A watched subject's intake, the same for every kind: noted under its customer first (clause 12:
 * nothing about them exists that an erasure cannot find), inserted once (a repeat finds the
 * first), and its lifecycle started at generation 0, unless a repeat finds it already running
 * (a second start would only lose its claim).
 */
export async function takeIn<S extends BurstFields & SubjectFields & { tenantId: string }>(
  kind: WatchedSubjectKind<S>,
  id: string,
  subject: S & { customer?: { email: string } },
  insert: (subject: S) => Promise<boolean>,
): Promise<{ stored: S; created: boolean }> {
  if (subject.customer)
    await recordCustomerSubject(subject.tenantId, subject.customer.email, id, heldSubjectOf(id, subject));
  const created = await insert(subject);
  const stored = created ? subject : (await kind.load(subject.tenantId, id))?.subject;
  if (!stored) throw new Error(`${kind.kind} ${id} vanished after a conflicting insert`);
  if (created || stored.burstGeneration === undefined) await wake(kind, subject.tenantId, id, 'intake', 0);
  return { stored, created };
}
