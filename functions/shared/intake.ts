import { applyTerms, type ContractVersion, versionInForce } from '#domain/contract.ts';
import type { CustomerLookup } from '#domain/customer-lookup.ts';
import type { Customer, NewServiceRequest } from '#domain/service-request.ts';
import { activeStaffMember, feedbackOwner } from '#domain/tenant.ts';
import { contractVersions } from '../adapters/contracts.ts';
import { insertRequest, newRequestId, type StoredRequest } from '../adapters/requests.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import { derivedId } from './digests.ts';
import { ValidationError } from './errors.ts';
import { openFeedbackCase } from './feedback-intake.ts';
import { takeIn, watchedRequests } from './watched-kinds.ts';

/** The feedback case a complaint request opens is named after it. */
const feedbackIdOfComplaint = (requestId: string) => `fb_${requestId.slice(3)}`;

/**
 * The request id of a storefront delivery: derived from the tenant, the channel and the
 * delivery's own id, so every copy of one delivery names the same request. The conditional
 * put then lets exactly one copy create it, and Step Functions' name uniqueness lets exactly
 * one lifecycle start; no separate idempotency record is needed.
 */
export function requestIdForDelivery(tenantId: string, channel: string, deliveryId: string): string {
  return derivedId('sr', tenantId, channel, deliveryId);
}

/**
 * What opens a request: a new request as staff or a storefront give it, where a storefront that
 * named its customer by id only gives no customer but how to look them up.
 */
export type RequestIntake = Omit<NewServiceRequest, 'customer'> &
  (
    | { customer: Customer; customerLookup?: undefined }
    | { customer?: undefined; customerLookup: CustomerLookup }
  );

/**
 * Opens a service request through any official channel (6.1.1): judged by the contract version
 * in force at receipt (11.1), stored, and its lifecycle started. Idempotent for a given id:
 * a second call answers the stored request (and makes sure its lifecycle runs).
 */
export async function openServiceRequest(
  tenant: StoredTenant,
  input: RequestIntake,
  options: {
    receivedAt: Date;
    actor: string;
    requestId?: string;
    delivery?: Record<string, string>;
    /** With a client's idempotency key: a digest of what was asked, to refuse the key's reuse for something else. */
    intakeDigest?: string;
  },
): Promise<{ request: StoredRequest; created: boolean }> {
  let contract: ContractVersion | undefined;
  if (input.contractId) {
    contract = versionInForce(await contractVersions(tenant.tenantId, input.contractId), options.receivedAt);
    if (!contract)
      throw new ValidationError('No contract in force', {
        contractId: ['no version of this contract is in force'],
      });
  }
  if (input.assigneeId && !activeStaffMember(tenant.staff, input.assigneeId)) {
    throw new ValidationError('Unknown assignee', {
      assigneeId: ['no staff member of this tenant who can work has this id'],
    });
  }
  const receivedAt = options.receivedAt.toISOString();
  const request: StoredRequest = {
    tenantId: tenant.tenantId,
    requestId: options.requestId ?? newRequestId(options.receivedAt),
    kind: input.kind,
    status: 'received',
    customer: input.customer,
    customerLookup: input.customerLookup,
    orderReference: input.orderReference,
    productReference: input.productReference,
    deliveryDate: input.deliveryDate,
    description: input.description,
    channel: input.channel,
    terms: applyTerms(input.kind, contract?.terms.sla ?? tenant.defaultTerms, contract),
    assigneeId: input.assigneeId,
    receivedAt,
    escalationsTaken: [],
    confirmationSent: false,
    serviceRecordDelivered: false,
    intakeDigest: options.intakeDigest,
    timeline: [
      {
        at: receivedAt,
        type: 'received',
        actor: options.actor,
        details: { channel: input.channel, ...options.delivery },
      },
    ],
  };
  const { stored, created } = await takeIn(watchedRequests, request.requestId, request, insertRequest);
  await openComplaintCase(tenant, stored, options.actor);
  return { request: stored, created };
}

/**
 * 3.2c, 7.2.1: a complaint is also feedback to handle within the working-day deadline, counted
 * from the request's receipt. Opened with the request, or once its customer is known (the case
 * is for a person); idempotent, the case is named after the request.
 */
export async function openComplaintCase(
  tenant: StoredTenant,
  request: StoredRequest,
  actor: string,
): Promise<void> {
  if (request.kind !== 'complaint' || !request.customer) return;
  await openFeedbackCase(
    tenant,
    {
      category: 'complaint',
      customer: request.customer,
      content: request.description,
      requestId: request.requestId,
      // A complaint may be about whoever handles the request: the feedback owner answers for it.
      assigneeId: feedbackOwner(tenant),
    },
    {
      receivedAt: new Date(request.receivedAt),
      actor,
      feedbackId: feedbackIdOfComplaint(request.requestId),
      terms: request.terms,
      requestKind: request.kind,
    },
  );
}
