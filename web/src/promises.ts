import { keptLate } from '#domain/breach.ts';
import type { RequestSummary } from './types.ts';

/**
 * What the worklist orders by and flags: the promise a request waits on now (the response until
 * it is acknowledged, then the completion), and the promises already missed. The deadlines are the
 * service's (computed by domain/deadlines.ts and sent with each request); only the comparison is here.
 */
export interface NextPromise {
  promise: 'response' | 'completion';
  deadline: number;
}

export function nextPromiseOf(request: RequestSummary): NextPromise | undefined {
  if (request.status === 'received')
    return { promise: 'response', deadline: Date.parse(request.deadlines.response) };
  if (request.status === 'acknowledged' || request.status === 'dispatched')
    return { promise: 'completion', deadline: Date.parse(request.deadlines.completion) };
  return undefined;
}

/** The promises kept late, or still unkept past their deadline (the domain's own rule: keptLate). */
export function missedPromisesOf(request: RequestSummary, now: number): ('response' | 'completion')[] {
  if (request.status === 'cancelled') return [];
  const keptAt = { response: request.acknowledgedAt, completion: request.completedAt };
  return (['response', 'completion'] as const).filter((promise) =>
    keptLate(new Date(request.deadlines[promise]), new Date(keptAt[promise] ?? now)),
  );
}

/** Soonest deadline first: the longest overdue at the top. */
export const bySoonestDeadline = (a: RequestSummary, b: RequestSummary) =>
  (nextPromiseOf(a)?.deadline ?? Number.POSITIVE_INFINITY) -
  (nextPromiseOf(b)?.deadline ?? Number.POSITIVE_INFINITY);
