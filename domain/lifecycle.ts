import type { AppliedTerms } from './contract.ts';
import { completionDeadline, responseDeadline } from './deadlines.ts';
import {
  type EscalationPolicy,
  LOOK_AGAIN_SECONDS,
  nextEscalationTimer,
  type WatchedDeadline,
  waitUntil,
} from './escalation-ladder.ts';
import type { RequestStatus } from './service-request.ts';

/** What the lifecycle needs to know of a stored request to decide its next step. */
export interface LifecycleState {
  status: RequestStatus;
  receivedAt: string;
  acknowledgedAt?: string;
  terms: Pick<AppliedTerms, 'responseHours' | 'completionHours'>;
  assigneeId?: string;
  escalationsTaken: readonly string[];
  confirmationSent: boolean;
  /** The confirmation of the need was claimed (about to go, or gone) before any cancel. */
  confirmationClaimed?: boolean;
  /** Cancelled where the customer must not be written to (their data is being erased). */
  cancelledQuietly?: boolean;
  /** The customer has been told of the cancellation. */
  cancellationTold?: boolean;
  serviceRecordDelivered: boolean;
  /** The satisfaction survey the service-record email invited the customer to (7.1.1). */
  survey?: SurveyTimes;
  /**
   * While the customer's details are still being looked up (domain/customer-lookup.ts): when
   * to try next. What needs the customer (the confirmation, the service record) waits for them.
   */
  customerLookupAt?: string;
  /** Its customer's details are missing (being looked up, or for staff to enter). */
  customerPending?: boolean;
}

export interface SurveyTimes {
  invitedAt: string;
  reminderAt: string;
  expiresAt: string;
  remindedAt?: string;
  answeredAt?: string;
}

/** The workflow's phases; the state machine's "Route by phase" Choice branches on these. */
export type Phase =
  | 'awaitAcknowledgement'
  | 'awaitCompletion'
  | 'escalate'
  | 'lookUpCustomer'
  | 'awaitCustomerDetails'
  | 'confirmNeed'
  | 'tellCancellation'
  | 'deliverServiceRecord'
  | 'awaitSurvey'
  | 'remindSurvey'
  | 'close'
  | 'end';

export interface Route {
  phase: Phase;
  /** For the await phases: how long to wait for the callback before the next escalation step. */
  waitSeconds: number;
}

/**
 * The deadlines being watched in the request's current status. Both promises run from receipt
 * (6.1.2, 6.2.1b): until the request is acknowledged its response and its completion deadlines
 * are both watched, so a request nobody answers also misses, and escalates, its completion.
 */
export function watchedDeadlines(state: LifecycleState): WatchedDeadline[] {
  const receivedAt = new Date(state.receivedAt);
  const response: WatchedDeadline = {
    promise: 'response',
    windowStart: receivedAt,
    deadline: responseDeadline(receivedAt, state.terms),
  };
  const completion: WatchedDeadline = {
    promise: 'completion',
    windowStart: receivedAt,
    deadline: completionDeadline(receivedAt, state.terms),
  };
  if (state.status === 'received') return [response, completion];
  if (state.status === 'acknowledged' || state.status === 'dispatched') return [completion];
  return [];
}

/**
 * Where a request's lifecycle stands at `now`: computed from stored timestamps only, so a
 * workflow started again after a restart resumes (a request 90 minutes old waits 30 more
 * minutes for its 2-hour response deadline, not 2 hours).
 */
export function route(state: LifecycleState, policy: EscalationPolicy, now: Date): Route {
  if (state.status === 'cancelled')
    return { phase: cancellationOwed(state) ? 'tellCancellation' : 'end', waitSeconds: 0 };
  if (state.status === 'closed') return { phase: 'end', waitSeconds: 0 };
  if (state.customerLookupAt && now >= new Date(state.customerLookupAt))
    return { phase: 'lookUpCustomer', waitSeconds: 0 };
  const pending = state.customerPending === true || state.customerLookupAt !== undefined;
  switch (state.status) {
    case 'completed':
      if (!state.serviceRecordDelivered) {
        if (pending)
          return {
            phase: 'awaitCustomerDetails',
            waitSeconds: state.customerLookupAt
              ? waitUntil(Date.parse(state.customerLookupAt), now)
              : LOOK_AGAIN_SECONDS,
          };
        return { phase: 'deliverServiceRecord', waitSeconds: 0 };
      }
      return surveyRoute(state.survey, now);
    case 'acknowledged':
    case 'dispatched':
      // The confirmation needs the customer's address: without it, keep watching completion.
      if (!state.confirmationSent && !pending) return { phase: 'confirmNeed', waitSeconds: 0 };
      return awaiting('awaitCompletion', state, policy, now);
    case 'received':
      return awaiting('awaitAcknowledgement', state, policy, now);
  }
}

/**
 * A customer told their need is confirmed (6.1.2) hears when the request is cancelled after
 * all, so the last thing they were told is true (#37); one never told hears nothing more.
 */
export function cancellationOwed(
  state: Pick<
    LifecycleState,
    'confirmationClaimed' | 'cancelledQuietly' | 'cancellationTold' | 'customerPending' | 'customerLookupAt'
  >,
): boolean {
  const pending = state.customerPending === true || state.customerLookupAt !== undefined;
  return state.confirmationClaimed === true && !state.cancelledQuietly && !state.cancellationTold && !pending;
}

/** After the record: wait for the survey answer, remind once, close on answer or expiry (7.1). */
function surveyRoute(survey: SurveyTimes | undefined, now: Date): Route {
  if (!survey || survey.answeredAt || now >= new Date(survey.expiresAt))
    return { phase: 'close', waitSeconds: 0 };
  if (!survey.remindedAt) {
    if (now >= new Date(survey.reminderAt)) return { phase: 'remindSurvey', waitSeconds: 0 };
    return { phase: 'awaitSurvey', waitSeconds: waitUntil(Date.parse(survey.reminderAt), now) };
  }
  return { phase: 'awaitSurvey', waitSeconds: waitUntil(Date.parse(survey.expiresAt), now) };
}

function awaiting(
  phase: 'awaitAcknowledgement' | 'awaitCompletion',
  state: LifecycleState,
  policy: EscalationPolicy,
  now: Date,
): Route {
  const watched = watchedDeadlines(state);
  // A pending customer lookup wakes the wait too: whichever comes first.
  const lookup = state.customerLookupAt
    ? waitUntil(Date.parse(state.customerLookupAt), now)
    : LOOK_AGAIN_SECONDS;
  if (watched.length === 0) return { phase, waitSeconds: lookup };
  const timer = nextEscalationTimer(watched, policy, state, now);
  return timer.escalateNow
    ? { phase: 'escalate', waitSeconds: 0 }
    : { phase, waitSeconds: Math.min(timer.waitSeconds, lookup) };
}
