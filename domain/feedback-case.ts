import { type EscalationPolicy, nextEscalationTimer, type WatchedDeadline } from './escalation-ladder.ts';
import { customerSchema } from './service-request.ts';
import { addWorkingDays, estimatedYears, type WorkingCalendar } from './working-calendar.ts';
import * as z from './zod.ts';

/**
 * A piece of feedback that needs handling (7.2.1): a complaint, a low score, a suggestion or
 * any written opinion. It is processed within the contract's feedback working days of receipt
 * and the customer is told the result; the case records what it changed (7.2.2).
 */
const feedbackCategorySchema = z.enum(['complaint', 'low_score', 'suggestion', 'opinion']);

export const newFeedbackSchema = z.strictObject({
  category: feedbackCategorySchema,
  customer: customerSchema,
  content: z.string().check(z.trim(), z.minLength(1), z.maxLength(5000)),
  /** The service request it is about, if any (its contract's terms then apply). */
  requestId: z.optional(z.string().check(z.minLength(1), z.maxLength(80))),
  assigneeId: z.optional(z.string().check(z.minLength(1), z.maxLength(80))),
});
export type NewFeedback = z.infer<typeof newFeedbackSchema>;

export const resolutionSchema = z.strictObject({
  /** What was done about it: told to the customer (7.2.1). */
  result: z.string().check(z.trim(), z.minLength(1), z.maxLength(5000)),
  /** What will change in the service or the goods because of it (7.2.2). */
  changes: z.optional(z.string().check(z.trim(), z.maxLength(5000))),
});
export type Resolution = z.infer<typeof resolutionSchema>;

export interface FeedbackState {
  status: 'open' | 'resolved' | 'closed';
  receivedAt: string;
  dueAt: string;
  /** False while `dueAt` counts over a year whose official holiday arrangement is not published. */
  dueConfirmed?: boolean;
  assigneeId?: string;
  escalationsTaken: readonly string[];
  resultSent: boolean;
}

/**
 * When a case falls due: the contract's working days after receipt (7.2.1). The date is
 * confirmed when every day counted has a published holiday arrangement; otherwise it is the
 * law's estimate, and it is worked out again once the arrangement is published.
 */
export function feedbackDue(
  calendar: WorkingCalendar,
  receivedAt: Date,
  workingDays: number,
): { dueAt: Date; dueConfirmed: boolean } {
  const dueAt = addWorkingDays(calendar, receivedAt, workingDays);
  // The deadline is the first instant after the last day counted: that day's year is what matters.
  const lastCounted = new Date(Math.max(receivedAt.getTime(), dueAt.getTime() - 1));
  return { dueAt, dueConfirmed: estimatedYears(calendar, receivedAt, lastCounted).length === 0 };
}

export type FeedbackPhase = 'awaitResolution' | 'escalate' | 'notifyCustomer' | 'close' | 'end';

export function watchedFeedbackDeadline(state: FeedbackState): WatchedDeadline {
  return { promise: 'feedback', windowStart: new Date(state.receivedAt), deadline: new Date(state.dueAt) };
}

/** Where a feedback case stands, from stored timestamps only (re-entrant like the request lifecycle). */
export function feedbackRoute(
  state: FeedbackState,
  policy: EscalationPolicy,
  now: Date,
): { phase: FeedbackPhase; waitSeconds: number } {
  if (state.status === 'closed') return { phase: 'end', waitSeconds: 0 };
  if (state.status === 'resolved')
    return { phase: state.resultSent ? 'close' : 'notifyCustomer', waitSeconds: 0 };
  const timer = nextEscalationTimer([watchedFeedbackDeadline(state)], policy, state, now);
  return timer.escalateNow
    ? { phase: 'escalate', waitSeconds: 0 }
    : { phase: 'awaitResolution', waitSeconds: timer.waitSeconds };
}
