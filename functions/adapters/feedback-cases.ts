import type { FeedbackState, NewFeedback, Resolution } from '../../domain/feedback-case.ts';
import type { TimelineEvent } from './requests.ts';
import { applyStep, getItem, keys, putNew, type StepUpdate } from './table.ts';

export interface StoredFeedbackCase extends FeedbackState {
  tenantId: string;
  feedbackId: string;
  category: NewFeedback['category'];
  customer: NewFeedback['customer'];
  content: string;
  requestId?: string;
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

export async function insertFeedbackCase(feedback: StoredFeedbackCase): Promise<boolean> {
  return putNew({ ...keys.feedbackCase(feedback.tenantId, feedback.feedbackId), ...feedback });
}

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
  step: StepUpdate & { onceFlag?: 'resultSent'; requireStatus?: readonly FeedbackState['status'][] },
): Promise<StoredFeedbackCase | undefined> {
  const updated = await applyStep<StoredFeedbackCase>(keys.feedbackCase(tenantId, feedbackId), step);
  return updated ? strip(updated) : undefined;
}
