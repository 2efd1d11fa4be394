import { responseDeadline } from '#domain/deadlines.ts';
import { sendOnce } from '../adapters/mailer.ts';
import { getRequest, hasCustomer, recordStep, type StoredRequest } from '../adapters/requests.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import type { CustomerVoice } from '../emails/layout.ts';
import { confirmationEmail } from '../emails/service-request-emails.ts';
import { promiseKept } from './escalation.ts';
import { logger } from './logger.ts';

/** Customer emails speak the customer's language (the tenant's by default, 14.2) for the merchant. */
export const customerVoice = (
  request: Pick<StoredRequest, 'customer'>,
  tenant: StoredTenant,
): CustomerVoice => ({
  language: request.customer?.language ?? tenant.language,
  merchant: tenant.name,
});

/** 6.1.2: a request responded to at `at`: if that was late, its response breach is met then. */
export function responseKept(request: StoredRequest, at: string): Promise<void> {
  return promiseKept(
    {
      tenantId: request.tenantId,
      subjectId: request.requestId,
      contractId: request.terms.contractId,
      contractVersion: request.terms.contractVersion,
    },
    'response',
    responseDeadline(new Date(request.receivedAt), request.terms),
    at,
  );
}

/**
 * 6.1.2: once staff respond, the customer hears that the need is confirmed, and a response
 * kept late is met in the breach ledger. Done at once by whoever acknowledged (so what they
 * are shown is what happened), and again by the workflow if that failed: the mailer and the
 * once-flag make the second time a no-op. Returns the request as it is afterwards.
 */
export async function confirmNeedWithCustomer(
  request: StoredRequest,
  tenant: StoredTenant,
  at: Date,
): Promise<StoredRequest> {
  if (request.confirmationSent || !['acknowledged', 'dispatched'].includes(request.status)) return request;
  // Without the customer's address it waits for their details (the lifecycle comes back then).
  if (!hasCustomer(request)) return request;
  // Claimed on the item while the request is still open: a cancel that came first wins and
  // nothing is sent; one that comes later finds the claim and the customer is told of it too.
  // Acknowledging claims it in the same write (no write of its own); this is for a request
  // acknowledged before claims were made.
  if (request.confirmationClaimedAt === undefined) {
    const claimed = await recordStep(request.tenantId, request.requestId, {
      requireStatus: ['acknowledged', 'dispatched'],
      fields: { confirmationClaimedAt: at.toISOString() },
    });
    if (!claimed) return (await getRequest(request.tenantId, request.requestId)) ?? request;
  }
  const outcome = await sendOnce(
    tenant,
    `confirmation:${request.requestId}`,
    confirmationEmail(request, customerVoice(request, tenant)),
  );
  await responseKept(request, request.acknowledgedAt!);
  const updated = await recordStep(request.tenantId, request.requestId, {
    onceFlag: 'confirmationSent',
    event: {
      at: at.toISOString(),
      type: 'need_confirmed_with_customer',
      actor: 'system',
      details: {
        to: request.customer.email,
        ...(!outcome.sent && outcome.reason === 'rejected' ? { emailRejected: outcome.detail } : {}),
      },
    },
  });
  return updated ?? (await getRequest(request.tenantId, request.requestId)) ?? request;
}

/**
 * How long whoever acknowledges waits for the customer's confirmation to go out: SES hanging
 * (its attempts and their timeouts add up past the API's own time) must not turn an
 * acknowledgement that is recorded into a 5xx "try again" (#34).
 */
const CONFIRM_AT_ONCE_MS = 3_000;

/**
 * For whoever acknowledges (API, email link): tell the customer now, so what they are shown is
 * what happened; if that fails or takes longer than a moment, the workflow does it when woken
 * (the mailer's claim sends it once), and the action still succeeds with what was recorded.
 */
export async function confirmNeedAtOnce(
  request: StoredRequest,
  tenant: StoredTenant,
  at: Date,
): Promise<StoredRequest> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const aMoment = new Promise<StoredRequest>((resolve) => {
    timer = setTimeout(() => resolve(request), CONFIRM_AT_ONCE_MS);
  });
  try {
    return await Promise.race([confirmNeedWithCustomer(request, tenant, at), aMoment]);
  } catch (error) {
    logger.warn('Confirmation left to the workflow', { requestId: request.requestId, error });
    return request;
  } finally {
    clearTimeout(timer);
  }
}
