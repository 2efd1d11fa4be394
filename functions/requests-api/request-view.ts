import { type Breach, minutesLate } from '#domain/breach.ts';
import { completionDeadline, responseDeadline } from '#domain/deadlines.ts';
import { warrantyStatus } from '#domain/warranty.ts';
import { localDate } from '#domain/working-calendar.ts';
import type * as z from '#domain/zod.ts';
import type { StoredRequest } from '../adapters/requests.ts';
import type { requestView as requestViewSchema } from '../http/doc-views.ts';
import { shown } from '../http/show.ts';
import { conversationMarksView, requestSummaryView } from '../http/views.ts';

/** A request as lists show it: what the view declares, nothing the table keeps for itself. */
export function requestSummary(request: StoredRequest) {
  const receivedAt = new Date(request.receivedAt);
  return shown(requestSummaryView, {
    ...request,
    deadlines: {
      response: responseDeadline(receivedAt, request.terms).toISOString(),
      completion: completionDeadline(receivedAt, request.terms).toISOString(),
    },
  });
}

/** What the API shows of a request: never the lifecycle's bookkeeping, always deadlines, breaches and warranty. */
export function requestView(
  request: StoredRequest,
  breaches: Breach[],
  timeline: StoredRequest['timeline'],
  timeZone: string,
  now: Date,
): z.input<typeof requestViewSchema> {
  const receivedAt = new Date(request.receivedAt);
  return {
    ...requestSummary(request),
    ...shown(conversationMarksView, request),
    timeline,
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
