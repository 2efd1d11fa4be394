import type { FeedbackState, NewFeedback, Resolution } from '../../domain/feedback-case.ts';
import type { RequestKind } from '../../domain/service-request.ts';
import type { TimelineEvent } from './requests.ts';
import { applyStep, getItem, keys, putNew, queryAll, type StepUpdate } from './table.ts';

export interface StoredFeedbackCase extends FeedbackState {
  tenantId: string;
  feedbackId: string;
  category: NewFeedback['category'];
  customer: NewFeedback['customer'];
  content: string;
  requestId?: string;
  /** What the feedback is about, for the report: its request's kind, or `periodic` (a periodic survey). */
  requestKind?: RequestKind | 'periodic';
  contractId: string;
  workingDays: number;
  resolution?: Resolution & { resolvedAt: string; resolvedBy: string };
  callbackToken?: string;
  timeline: TimelineEvent[];
}

function strip(item: StoredFeedbackCase & { pk?: string; sk?: string }): StoredFeedbackCase {
  const { pk: _pk, sk: _sk, ...feedback } = item;
  return feedback;
}

/** The byTime index partition of a tenant's feedback cases, by receipt (reports, 7.2.2). */
const feedbackIndexKey = (tenantId: string) => `TENANT#${tenantId}#FEEDBACK`;

export async function insertFeedbackCase(feedback: StoredFeedbackCase): Promise<boolean> {
  return putNew({
    ...keys.feedbackCase(feedback.tenantId, feedback.feedbackId),
    gsi2pk: feedbackIndexKey(feedback.tenantId),
    gsi2sk: `${feedback.receivedAt}#${feedback.feedbackId}`,
    ...feedback,
  });
}

/** Feedback cases received in [from, to), optionally only those matching a filter. */
async function feedbackCasesReceived(
  tenantId: string,
  from: string,
  to: string,
  filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> },
): Promise<StoredFeedbackCase[]> {
  const items = await queryAll<
    StoredFeedbackCase & { pk: string; sk: string; gsi2pk?: string; gsi2sk?: string }
  >({
    IndexName: 'byTime',
    KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
    FilterExpression: filter?.expression,
    ExpressionAttributeNames: filter?.names,
    ExpressionAttributeValues: {
      ':pk': feedbackIndexKey(tenantId),
      ':from': from,
      ':to': to,
      ...filter?.values,
    },
  });
  return items.map(({ gsi2pk: _p, gsi2sk: _s, ...item }) => strip(item)).filter((f) => f.receivedAt < to);
}

/** Feedback cases received in [from, to) (reports, 7.2.2). */
export const feedbackCasesBetween = (tenantId: string, from: string, to: string) =>
  feedbackCasesReceived(tenantId, from, to);

/** Open cases received in [from, to) whose due date is still the law's estimate (see feedbackDue). */
export const openFeedbackCasesWithEstimatedDue = (tenantId: string, from: string, to: string) =>
  feedbackCasesReceived(tenantId, from, to, {
    expression: '#status = :open AND dueConfirmed = :false',
    names: { '#status': 'status' },
    values: { ':open': 'open', ':false': false },
  });

export async function getFeedbackCase(
  tenantId: string,
  feedbackId: string,
): Promise<StoredFeedbackCase | undefined> {
  const item = await getItem<StoredFeedbackCase & { pk: string; sk: string }>(
    keys.feedbackCase(tenantId, feedbackId),
  );
  return item ? strip(item) : undefined;
}

export async function recordFeedbackStep(
  tenantId: string,
  feedbackId: string,
  step: StepUpdate & {
    onceFlag?: 'resultSent' | 'dueConfirmed';
    requireStatus?: readonly FeedbackState['status'][];
  },
): Promise<StoredFeedbackCase | undefined> {
  const updated = await applyStep<StoredFeedbackCase>(keys.feedbackCase(tenantId, feedbackId), step);
  return updated ? strip(updated) : undefined;
}
