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

export function missedPromisesOf(request: RequestSummary, now: number): ('response' | 'completion')[] {
  const missed: ('response' | 'completion')[] = [];
  const acknowledged = request.acknowledgedAt ? Date.parse(request.acknowledgedAt) : now;
  if (request.status !== 'cancelled' && acknowledged > Date.parse(request.deadlines.response))
    missed.push('response');
  const completed = request.completedAt ? Date.parse(request.completedAt) : now;
  if (request.status !== 'cancelled' && completed > Date.parse(request.deadlines.completion))
    missed.push('completion');
  return missed;
}

/** Soonest deadline first: the longest overdue at the top. */
export const bySoonestDeadline = (a: RequestSummary, b: RequestSummary) =>
  (nextPromiseOf(a)?.deadline ?? Number.POSITIVE_INFINITY) -
  (nextPromiseOf(b)?.deadline ?? Number.POSITIVE_INFINITY);
