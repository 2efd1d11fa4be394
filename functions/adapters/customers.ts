import type { Customer } from '../../domain/service-request.ts';
import { keys, queryAll, updateIf } from './table.ts';

/** A customer the tenant has served, for periodic follow-up visits (3.1c). */
export interface StoredCustomer {
  tenantId: string;
  customer: Customer;
  lastServedAt: string;
  /** When the next follow-up visit falls due (also the byTime index sort key). */
  nextFollowUpAt?: string;
}

const customersIndexKey = (tenantId: string) => `TENANT#${tenantId}#FOLLOWUPS`;

/**
 * Records that a customer was served at `at` and, if the tenant schedules visits, when the next
 * follow-up is due. Idempotent: a retried step writes the same values.
 */
export async function recordCustomerServed(
  tenantId: string,
  customer: Customer,
  at: Date,
  followUpEveryDays?: number,
): Promise<void> {
  const next = followUpEveryDays
    ? new Date(at.getTime() + followUpEveryDays * 86_400_000).toISOString()
    : undefined;
  await updateIf(keys.customer(tenantId, customer.email), {
    UpdateExpression: next
      ? 'SET tenantId = :t, customer = :c, lastServedAt = :at, nextFollowUpAt = :next, gsi2pk = :pk, gsi2sk = :sk'
      : 'SET tenantId = :t, customer = :c, lastServedAt = :at REMOVE nextFollowUpAt, gsi2pk, gsi2sk',
    // Never move a customer's record back in time (an older request completing late).
    ConditionExpression: 'attribute_not_exists(lastServedAt) OR lastServedAt <= :at',
    ExpressionAttributeValues: {
      ':t': tenantId,
      ':c': customer,
      ':at': at.toISOString(),
      ...(next
        ? {
            ':next': next,
            ':pk': customersIndexKey(tenantId),
            ':sk': `${next}#${customer.email.toLowerCase()}`,
          }
        : {}),
    },
  });
}

/** Customers whose follow-up visit is due by `at`. */
export async function customersDueForFollowUp(tenantId: string, at: Date): Promise<StoredCustomer[]> {
  return queryAll<StoredCustomer>({
    IndexName: 'byTime',
    KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :at',
    ExpressionAttributeValues: { ':pk': customersIndexKey(tenantId), ':at': `${at.toISOString()}#\uffff` },
  });
}
