import { type Breach, minutesLate } from '../../domain/breach.ts';
import { completionDeadline, responseDeadline } from '../../domain/deadlines.ts';
import { warrantyStatus } from '../../domain/warranty.ts';
import { localDate } from '../../domain/working-calendar.ts';
import type { StoredRequest } from '../adapters/requests.ts';

/** What the API shows of a request: never the task token, always deadlines, breaches and warranty. */
export function requestView(
  request: StoredRequest,
  breaches: Breach[],
  timeline: StoredRequest['timeline'],
  timeZone: string,
  now: Date,
) {
  const { callbackToken: _token, timelineArchived: _archived, ...visible } = request;
  const receivedAt = new Date(request.receivedAt);
  return {
    ...visible,
    timeline,
    deadlines: {
      response: responseDeadline(receivedAt, request.terms).toISOString(),
      completion: completionDeadline(receivedAt, request.terms).toISOString(),
    },
    warranty: warrantyStatus(
      request.kind,
      request.deliveryDate,
      localDate(timeZone, receivedAt), // warranty dates are the tenant's dates
      request.terms.warrantyMonths,
    ),
    breaches: breaches.map((breach) => ({
      ...breach,
      minutesLate: minutesLate(breach, now),
      open: breach.metAt === undefined,
    })),
  };
}
