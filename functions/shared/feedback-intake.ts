import { randomBytes } from 'node:crypto';
import { DEFAULT_CONTRACT_ID } from '#domain/contract.ts';
import { feedbackDue, type NewFeedback } from '#domain/feedback-case.ts';
import {
  insertFeedbackCase,
  openFeedbackCasesWithEstimatedDue,
  recordFeedbackStep,
  type StoredFeedbackCase,
} from '../adapters/feedback-cases.ts';
import { calendarOf, type StoredTenant } from '../adapters/tenants.ts';
import { takeIn, wakeFeedback, watchedFeedback } from './watched-kinds.ts';

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
    requestKind?: StoredFeedbackCase['requestKind'];
  },
): Promise<{ feedback: StoredFeedbackCase; created: boolean }> {
  const workingDays = options.terms?.feedbackWorkingDays ?? tenant.defaultTerms.feedbackWorkingDays;
  const receivedAt = options.receivedAt.toISOString();
  const due = feedbackDue(calendarOf(tenant), options.receivedAt, workingDays);
  const feedback: StoredFeedbackCase = {
    tenantId: tenant.tenantId,
    feedbackId:
      options.feedbackId ??
      `fb_${options.receivedAt.getTime().toString(36)}${randomBytes(5).toString('hex')}`,
    category: input.category,
    customer: input.customer,
    content: input.content,
    requestId: input.requestId,
    requestKind: options.requestKind,
    assigneeId: input.assigneeId,
    contractId: options.terms?.contractId ?? DEFAULT_CONTRACT_ID,
    workingDays,
    status: 'open',
    receivedAt,
    dueAt: due.dueAt.toISOString(),
    dueConfirmed: due.dueConfirmed,
    escalationsTaken: [],
    resultSent: false,
    timeline: [
      { at: receivedAt, type: 'received', actor: options.actor, details: { category: input.category } },
    ],
  };
  const { stored, created } = await takeIn(
    watchedFeedback,
    feedback.feedbackId,
    feedback,
    insertFeedbackCase,
  );
  return { feedback: stored, created };
}

/**
 * How far back the daily run looks for estimated due dates: 60 working days (the most a contract
 * allows) with their holidays fit well inside; an older open case is long overdue either way.
 */
const ESTIMATED_DUE_LOOKBACK_MS = 180 * 86_400_000;

/**
 * Daily: an open case whose due date was the law's estimate gets its exact due date once the
 * year's holiday arrangement is published (a deploy brought the notice), and its workflow is
 * woken to wait for that instead. Conditional on the estimate flag: a retried run changes nothing.
 */
export async function confirmEstimatedFeedbackDeadlines(tenant: StoredTenant, at: Date): Promise<number> {
  let confirmed = 0;
  const since = new Date(at.getTime() - ESTIMATED_DUE_LOOKBACK_MS).toISOString();
  for (const feedback of await openFeedbackCasesWithEstimatedDue(tenant.tenantId, since, at.toISOString())) {
    const due = feedbackDue(calendarOf(tenant), new Date(feedback.receivedAt), feedback.workingDays);
    if (!due.dueConfirmed) continue;
    const updated = await recordFeedbackStep(tenant.tenantId, feedback.feedbackId, {
      onceFlag: 'dueConfirmed',
      requireStatus: ['open'],
      fields: { dueAt: due.dueAt.toISOString() },
      event: {
        at: at.toISOString(),
        type: 'due_confirmed',
        actor: 'system',
        details: { estimatedDueAt: feedback.dueAt, dueAt: due.dueAt.toISOString() },
      },
    });
    if (!updated) continue;
    confirmed += 1;
    await wakeFeedback(updated, 'dailyRun');
  }
  return confirmed;
}
