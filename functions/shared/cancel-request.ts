import { statusesAllowing } from '#domain/service-request.ts';
import { type StoredRequest, transitionRequest } from '../adapters/requests.ts';
import { wakeRequest } from './watched-kinds.ts';

/**
 * Cancels an open request (staff, or the storefront where the customer withdrew it) and ends
 * its waiting lifecycle. Undefined when the request was no longer open: the caller says why.
 */
export async function cancelServiceRequest(
  request: StoredRequest,
  cancellation: { reason: string; actor: string; at: Date; details?: Record<string, unknown> },
  /** `wake: false` from inside the request's own burst, which routes to its end itself. */
  options: { wake?: boolean } = {},
): Promise<StoredRequest | undefined> {
  const at = cancellation.at.toISOString();
  const updated = await transitionRequest(request, {
    from: statusesAllowing('cancel'),
    to: 'cancelled',
    fields: { cancelledAt: at, cancelReason: cancellation.reason },
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
