import { statusesAllowing } from '#domain/service-request.ts';
import { START_GRACE_SECONDS, watchEntry } from '../adapters/lifecycle-watch.ts';
import { type StoredRequest, transitionRequest } from '../adapters/requests.ts';
import { wakeRequest } from './watched-kinds.ts';

/**
 * Cancels an open request (staff, or the storefront where the customer withdrew it) and ends
 * its waiting lifecycle. Undefined when the request was no longer open: the caller says why.
 * The lifecycle's last burst tells the customer when they had been told the need is confirmed
 * (domain/lifecycle.ts `tellCancellation`): the request stays watched until that burst ends.
 */
export async function cancelServiceRequest(
  request: StoredRequest,
  cancellation: { reason: string; actor: string; at: Date; details?: Record<string, unknown> },
  /**
   * `wake: false` from inside the request's own burst, which routes to its end itself;
   * `quietly` when the customer must not be written to (their data is being erased).
   */
  options: { wake?: boolean; quietly?: boolean } = {},
): Promise<StoredRequest | undefined> {
  const at = cancellation.at.toISOString();
  const lookAt = new Date(cancellation.at.getTime() + START_GRACE_SECONDS * 1000);
  const updated = await transitionRequest(request, {
    from: statusesAllowing('cancel'),
    to: 'cancelled',
    fields: {
      cancelledAt: at,
      cancelReason: cancellation.reason,
      ...(options.quietly ? { cancelledQuietly: true } : {}),
      ...watchEntry(request.tenantId, 'request', request.requestId, lookAt),
    },
    event: {
      at,
      type: 'cancelled',
      actor: cancellation.actor,
      details: { reason: cancellation.reason, ...cancellation.details },
    },
  });
  // A storefront's withdrawal is said as such on the lifecycle's history; the rest are staff's.
  if (updated && options.wake !== false)
    await wakeRequest(updated, cancellation.actor.startsWith('webhook:') ? 'storefront' : 'staff');
  return updated;
}
