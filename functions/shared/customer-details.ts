import type { Customer } from '#domain/service-request.ts';
import { heldSubjectOf, recordCustomerSubject } from '../adapters/customer-data.ts';
import { recordStep, type StoredRequest } from '../adapters/requests.ts';

/** What a request learns of its customer, from the storefront or from staff. */
export interface CustomerDetails {
  customer: Customer;
  orderReference?: string;
  productReference?: string;
  description?: string;
  deliveryDate?: string;
}

/**
 * Stores the customer's details and ends the lookup, in one write. `onlyWhilePending`: only if
 * the lookup is still pending (the storefront's answer never overwrites what staff entered).
 * Undefined when that condition failed.
 */
export async function storeCustomerDetails(
  request: StoredRequest,
  details: CustomerDetails,
  event: { at: Date; type: string; actor: string; details?: Record<string, unknown> },
  options: { onlyWhilePending: boolean },
): Promise<StoredRequest | undefined> {
  const subject = { ...request, ...details };
  await recordCustomerSubject(
    request.tenantId,
    details.customer.email,
    request.requestId,
    heldSubjectOf(request.requestId, subject),
  );
  const fields = Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined));
  return recordStep(request.tenantId, request.requestId, {
    fields,
    remove: ['customerLookup'],
    requireStatus: ['received', 'acknowledged', 'dispatched', 'completed'],
    extraCondition: options.onlyWhilePending ? 'attribute_exists(customerLookup)' : undefined,
    event: { ...event, at: event.at.toISOString() },
  });
}
