import { type Breach, minutesLate } from '../../domain/breach.ts';
import { completionDeadline, responseDeadline } from '../../domain/deadlines.ts';
import { warrantyStatus } from '../../domain/warranty.ts';
import type { StoredRequest } from '../adapters/requests.ts';

/** Calendar date of an instant in a time zone (warranty dates are the tenant's dates). */
function dateIn(timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** What the API shows of a request: never the task token, always deadlines, breaches and warranty. */
export function requestView(request: StoredRequest, breaches: Breach[], timeZone: string, now: Date) {
  const { callbackToken: _token, ...visible } = request;
  const receivedAt = new Date(request.receivedAt);
  return {
    ...visible,
    deadlines: {
      response: responseDeadline(receivedAt, request.terms).toISOString(),
      completion: completionDeadline(receivedAt, request.terms).toISOString(),
    },
    warranty: warrantyStatus(
      request.kind,
      request.deliveryDate,
      dateIn(timeZone, receivedAt),
      request.terms.warrantyMonths,
    ),
    breaches: breaches.map((breach) => ({
      ...breach,
      minutesLate: minutesLate(breach, now),
      open: breach.metAt === undefined,
    })),
  };
}
