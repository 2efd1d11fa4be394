/** A missed deadline (clause 5, 10.1): kept per contract, counted once, closed when met. */
export interface Breach {
  promise: 'response' | 'completion' | 'feedback';
  /** The service request, or the feedback case for a `feedback` breach. */
  requestId: string;
  contractId: string;
  /** The contract version the subject is judged by (requests keep it from their receipt). */
  contractVersion?: number;
  deadline: string;
  /** When the promise was finally kept (acknowledged, completed); absent while still open. */
  metAt?: string;
}

/** On time means on or before the deadline: a promise is broken from the instant after it. */
export function lateFrom(deadline: Date): Date {
  return new Date(deadline.getTime() + 1);
}

/** Whether a promise kept at `keptAt` was kept late. */
export function keptLate(deadline: Date, keptAt: Date): boolean {
  return keptAt.getTime() > deadline.getTime();
}

/**
 * How late, in whole minutes, rounded up: a breach is at least a minute late (an escalation
 * one second after the deadline says "1 minute late", never "0 minutes late").
 */
export function minutesLate(breach: Pick<Breach, 'deadline' | 'metAt'>, now: Date): number {
  const end = breach.metAt ? new Date(breach.metAt) : now;
  return Math.max(0, Math.ceil((end.getTime() - new Date(breach.deadline).getTime()) / 60_000));
}
