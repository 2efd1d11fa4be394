import { openRequestStatuses } from '#domain/request-status.ts';
import { getRequest, recordStep, type StoredRequest } from '../adapters/requests.ts';
import { wakeRequest } from './watched-kinds.ts';

export type TakeOver =
  | { outcome: 'taken'; request: StoredRequest }
  | { outcome: 'already-theirs'; request: StoredRequest }
  | { outcome: 'not-open'; request: StoredRequest }
  /** Someone else took it between the read and the write. */
  | { outcome: 'taken-by-other'; request: StoredRequest };

/**
 * A staff member makes an open request theirs (from an escalation email's link or the console).
 * Conditional on the assignee read: of two people taking over at once, one wins. A request past
 * its response is woken so its escalation follows the new assignee.
 */
export async function takeOverRequest(
  request: StoredRequest,
  staffId: string,
  via: 'email link' | 'console',
  now: Date,
): Promise<TakeOver> {
  if (!(openRequestStatuses as readonly string[]).includes(request.status))
    return { outcome: 'not-open', request };
  if (request.assigneeId === staffId) return { outcome: 'already-theirs', request };
  const taken = await recordStep(request.tenantId, request.requestId, {
    requireStatus: openRequestStatuses,
    expect: { assigneeId: request.assigneeId },
    fields: { assigneeId: staffId },
    event: {
      at: now.toISOString(),
      type: 'taken_over',
      actor: staffId,
      details: { via, from: request.assigneeId },
    },
  });
  if (taken) {
    if (taken.status !== 'received') await wakeRequest(taken);
    return { outcome: 'taken', request: taken };
  }
  const current = (await getRequest(request.tenantId, request.requestId)) ?? request;
  if (!(openRequestStatuses as readonly string[]).includes(current.status))
    return { outcome: 'not-open', request: current };
  return current.assigneeId === staffId
    ? { outcome: 'already-theirs', request: current }
    : { outcome: 'taken-by-other', request: current };
}
