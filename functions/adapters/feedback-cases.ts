import type { FeedbackState, NewFeedback, Resolution } from '#domain/feedback-case.ts';
import type { FeedbackFact } from '#domain/satisfaction-report.ts';
import type { RequestKind } from '#domain/service-request.ts';
import {
  type BurstFields,
  START_GRACE_SECONDS,
  WATCH_ENTRY_FIELDS,
  watchEntry,
  withoutBursts,
} from './lifecycle-watch.ts';
import type { TimelineEvent } from './requests.ts';
import type { Suppression } from './suppressions.ts';
import {
  applyStep,
  fullTimeline,
  getItem,
  keys,
  putNew,
  queryAll,
  queryPage,
  type StepUpdate,
  withoutKeys,
} from './table.ts';

export interface StoredFeedbackCase extends FeedbackState, BurstFields {
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
  /** The customer's address bounced for good or complained (functions/email-events). */
  customerEmailUndeliverable?: Suppression;
  timeline: TimelineEvent[];
  /** Events moved out of the item to archive pages (see functions/adapters/table.ts). */
  timelineArchived?: number;
}

type FeedbackItem = StoredFeedbackCase & { pk?: string; sk?: string } & Record<
    `gsi${1 | 2 | 3}${'pk' | 'sk'}`,
    unknown
  >;

/** A feedback case as the table holds it, as the domain sees it. */
export const feedbackCaseFromItem = (item: object): StoredFeedbackCase =>
  withoutKeys<StoredFeedbackCase>(item as FeedbackItem);

/**
 * A case's place in the byStatus index (the staff's worklist): the partition of its status,
 * sorted by due date. recordFeedbackStep moves it whenever a step sets either.
 */
const statusPartition = (tenantId: string, status: string) => ({
  gsi1pk: keys.feedbackByStatus(tenantId, status),
});
const dueSortKey = (feedbackId: string, dueAt: string) => ({ gsi1sk: `${dueAt}#${feedbackId}` });

/** A tenant's cases in a status, soonest due first. */
export async function feedbackPage(
  tenantId: string,
  status: StoredFeedbackCase['status'],
  page: { limit: number; cursor?: string },
): Promise<{ items: StoredFeedbackCase[]; nextCursor?: string }> {
  const partition = keys.feedbackByStatus(tenantId, status);
  const { items, nextCursor } = await queryPage<FeedbackItem>(
    {
      IndexName: 'byStatus',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': partition },
    },
    { ...page, partition: { attribute: 'gsi1pk', value: partition } },
  );
  return { items: items.map(feedbackCaseFromItem), nextCursor };
}

/** The byTime index partition of a tenant's feedback cases, by receipt (reports, 7.2.2). */
const feedbackIndexKey = (tenantId: string) => `TENANT#${tenantId}#FEEDBACK`;

export async function insertFeedbackCase(feedback: StoredFeedbackCase): Promise<boolean> {
  return putNew({
    ...keys.feedbackCase(feedback.tenantId, feedback.feedbackId),
    gsi2pk: feedbackIndexKey(feedback.tenantId),
    gsi2sk: `${feedback.receivedAt}#${feedback.feedbackId}`,
    ...statusPartition(feedback.tenantId, feedback.status),
    ...dueSortKey(feedback.feedbackId, feedback.dueAt),
    ...watchEntry(
      feedback.tenantId,
      'feedback',
      feedback.feedbackId,
      new Date(Date.parse(feedback.receivedAt) + START_GRACE_SECONDS * 1000),
    ),
    ...feedback,
  });
}

/**
 * Feedback cases received in [from, to), optionally only those matching a filter, and only
 * the top-level attributes named in `fields` (all of them without it).
 */
async function feedbackCasesReceived(
  tenantId: string,
  from: string,
  to: string,
  options: {
    filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
    fields?: readonly (keyof StoredFeedbackCase)[];
  } = {},
): Promise<StoredFeedbackCase[]> {
  const { filter, fields } = options;
  const projected = fields && Object.fromEntries(fields.map((field) => [`#p_${field}`, field]));
  const names = { ...filter?.names, ...projected };
  const items = await queryAll<FeedbackItem>({
    IndexName: 'byTime',
    KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
    FilterExpression: filter?.expression,
    ProjectionExpression: projected && Object.keys(projected).join(', '),
    ExpressionAttributeNames: Object.keys(names).length > 0 ? names : undefined,
    ExpressionAttributeValues: {
      ':pk': feedbackIndexKey(tenantId),
      ':from': from,
      ':to': to,
      ...filter?.values,
    },
  });
  return items.map(feedbackCaseFromItem).filter((f) => f.receivedAt < to);
}

/** Feedback cases received in [from, to), as the report reads them (7.2.2): no timelines, no customers. */
export async function feedbackFactsBetween(
  tenantId: string,
  from: string,
  to: string,
): Promise<FeedbackFact[]> {
  const cases = await feedbackCasesReceived(tenantId, from, to, {
    fields: ['feedbackId', 'requestKind', 'receivedAt', 'dueAt', 'resolution'],
  });
  return cases.map((f) => ({
    feedbackId: f.feedbackId,
    kind: f.requestKind,
    receivedAt: f.receivedAt,
    dueAt: f.dueAt,
    resolvedAt: f.resolution?.resolvedAt,
    changes: f.resolution?.changes,
  }));
}

/** Open cases received in [from, to) whose due date is still the law's estimate (see feedbackDue). */
export const openFeedbackCasesWithEstimatedDue = (tenantId: string, from: string, to: string) =>
  feedbackCasesReceived(tenantId, from, to, {
    fields: ['feedbackId', 'receivedAt', 'workingDays', 'dueAt', 'status', 'dueConfirmed'],
    filter: {
      expression: '#status = :open AND dueConfirmed = :false',
      names: { '#status': 'status' },
      values: { ':open': 'open', ':false': false },
    },
  });

/** Every event of a case, oldest first (see requestTimeline). */
export const feedbackTimeline = async (
  feedback: StoredFeedbackCase,
  options: { bursts?: boolean } = {},
): Promise<TimelineEvent[]> =>
  withoutBursts(
    await fullTimeline(keys.feedbackCase(feedback.tenantId, feedback.feedbackId), feedback),
    options,
  );

export async function getFeedbackCase(
  tenantId: string,
  feedbackId: string,
): Promise<StoredFeedbackCase | undefined> {
  const item = await getItem<FeedbackItem>(keys.feedbackCase(tenantId, feedbackId));
  return item ? feedbackCaseFromItem(item) : undefined;
}

export async function recordFeedbackStep(
  tenantId: string,
  feedbackId: string,
  step: StepUpdate & {
    onceFlag?: 'resultSent' | 'dueConfirmed';
    requireStatus?: readonly FeedbackState['status'][];
  },
): Promise<StoredFeedbackCase | undefined> {
  const { status, dueAt } = step.fields ?? {};
  const fields = {
    ...step.fields,
    ...(typeof status === 'string' ? statusPartition(tenantId, status) : {}),
    ...(typeof dueAt === 'string' ? dueSortKey(feedbackId, dueAt) : {}),
  };
  // A closed case needs no lifecycle: it leaves the watch.
  const remove = status === 'closed' ? [...(step.remove ?? []), ...WATCH_ENTRY_FIELDS] : step.remove;
  const updated = await applyStep<FeedbackItem>(keys.feedbackCase(tenantId, feedbackId), {
    ...step,
    fields,
    remove,
  });
  return updated ? feedbackCaseFromItem(updated) : undefined;
}
