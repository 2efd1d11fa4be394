/** A missed deadline (clause 5, 10.1): kept per contract, counted once, closed when met. */
export interface Breach {
  promise: 'response' | 'completion' | 'feedback';
  /** The service request, or the feedback case for a `feedback` breach. */
  requestId: string;
  contractId: string;
  deadline: string;
  /** When the promise was finally kept (acknowledged, completed); absent while still open. */
  metAt?: string;
}

/** How late, in whole minutes: until met, or until now while the breach is open. */
export function minutesLate(breach: Pick<Breach, 'deadline' | 'metAt'>, now: Date): number {
  const end = breach.metAt ? new Date(breach.metAt) : now;
  return Math.max(0, Math.floor((end.getTime() - new Date(breach.deadline).getTime()) / 60_000));
}
