import { randomBytes } from 'node:crypto';
import { DEFAULT_CONTRACT_ID } from '../../domain/contract.ts';
import { type FeedbackPhase, feedbackRoute, type NewFeedback } from '../../domain/feedback-case.ts';
import { addWorkingDays, type WorkingCalendar } from '../../domain/working-calendar.ts';
import { getFeedbackCase, insertFeedbackCase, type StoredFeedbackCase } from '../adapters/feedback-cases.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import { startFeedbackCaseLifecycle } from '../adapters/workflows.ts';

export const calendarOf = (tenant: StoredTenant): WorkingCalendar => ({
  ...tenant.calendar,
  timeZone: tenant.timeZone,
});

/**
 * Opens a feedback case: due the contract's feedback working days after receipt on the
 * tenant's calendar (7.2.1), stored, its lifecycle started. Idempotent for a given id (a
 * complaint request opens the case named after it, however often intake is retried).
 */
export async function openFeedbackCase(
  tenant: StoredTenant,
  input: NewFeedback,
  options: {
    receivedAt: Date;
    actor: string;
    feedbackId?: string;
    terms?: { contractId: string; feedbackWorkingDays: number };
  },
): Promise<{ feedback: StoredFeedbackCase; created: boolean }> {
  const workingDays = options.terms?.feedbackWorkingDays ?? tenant.defaultTerms.feedbackWorkingDays;
  const receivedAt = options.receivedAt.toISOString();
  const feedback: StoredFeedbackCase = {
    tenantId: tenant.tenantId,
    feedbackId:
      options.feedbackId ??
      `fb_${options.receivedAt.getTime().toString(36)}${randomBytes(5).toString('hex')}`,
    category: input.category,
    customer: input.customer,
    content: input.content,
    requestId: input.requestId,
    assigneeId: input.assigneeId,
    contractId: options.terms?.contractId ?? DEFAULT_CONTRACT_ID,
    workingDays,
    status: 'open',
    receivedAt,
    dueAt: addWorkingDays(calendarOf(tenant), options.receivedAt, workingDays).toISOString(),
    escalationsTaken: [],
    resultSent: false,
    timeline: [
      { at: receivedAt, type: 'received', actor: options.actor, details: { category: input.category } },
    ],
  };
  const created = await insertFeedbackCase(feedback);
  const stored = created ? feedback : await getFeedbackCase(tenant.tenantId, feedback.feedbackId);
  if (!stored) throw new Error(`feedback case ${feedback.feedbackId} vanished after a conflicting insert`);
  await startFeedbackCaseLifecycle(stored.tenantId, stored.feedbackId);
  return { feedback: stored, created };
}

/** What the feedback workflow's "Route by phase" reads. */
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
    ...feedbackRoute(feedback, tenant.escalationLadder, at),
  };
}
