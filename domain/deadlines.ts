import type { AppliedTerms } from './contract.ts';

const HOUR = 3_600_000;

/** 6.1.2: respond within the contract's response hours (2) of receipt. */
export function responseDeadline(receivedAt: Date, terms: Pick<AppliedTerms, 'responseHours'>): Date {
  return new Date(receivedAt.getTime() + terms.responseHours * HOUR);
}

/** 6.2.1b: complete within the agreed time for the request's kind, counted from receipt. */
export function completionDeadline(receivedAt: Date, terms: Pick<AppliedTerms, 'completionHours'>): Date {
  return new Date(receivedAt.getTime() + terms.completionHours * HOUR);
}

/**
 * The deadline of the promise an open request waits on now: its response until it is
 * acknowledged, then its completion. None once completed, closed or cancelled. What a worklist
 * sorts by, soonest first (the longest overdue at the top).
 */
export function currentDeadline(
  status: string,
  receivedAt: Date,
  terms: Pick<AppliedTerms, 'responseHours' | 'completionHours'>,
): { promise: 'response' | 'completion'; deadline: Date } | undefined {
  if (status === 'received') return { promise: 'response', deadline: responseDeadline(receivedAt, terms) };
  if (status === 'acknowledged' || status === 'dispatched')
    return { promise: 'completion', deadline: completionDeadline(receivedAt, terms) };
  return undefined;
}

/** Whole seconds from `now` until `at`, never below 1 (Step Functions' smallest task timeout). */
export function secondsUntil(at: Date, now: Date): number {
  return Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));
}
