import type { Customer } from '#domain/service-request.ts';
import { keys, queryAll, updateIf } from './table.ts';

/**
 * What the tenant does for every customer it has served, periodically: a follow-up visit
 * (3.1c) and a satisfaction survey (7.1.1), each on its own period from the tenant settings.
 */
export type Campaign = 'followUpVisit' | 'periodicSurvey';

/** One customer's next date for one campaign (item `TENANT#t#CUSTOMER#<email> / SCHEDULE#<campaign>`). */
export interface CustomerSchedule {
  tenantId: string;
  campaign: Campaign;
  customer: Customer;
  lastServedAt: string;
  nextAt: string;
}

const dueIndexKey = (tenantId: string, campaign: Campaign) => `TENANT#${tenantId}#DUE#${campaign}`;

function scheduleKey(tenantId: string, email: string, campaign: Campaign) {
  return { pk: keys.customer(tenantId, email).pk, sk: `SCHEDULE#${campaign}` };
}

/**
 * Sets when a customer is next due for a campaign, `everyDays` after `from`. Idempotent (a
 * retried step writes the same values) and never moves a schedule back in time.
 */
export async function scheduleCustomer(
  tenantId: string,
  campaign: Campaign,
  customer: Customer,
  from: Date,
  everyDays: number,
): Promise<void> {
  const nextAt = new Date(from.getTime() + everyDays * 86_400_000).toISOString();
  await updateIf(scheduleKey(tenantId, customer.email, campaign), {
    UpdateExpression:
      'SET tenantId = :t, campaign = :c, customer = :customer, lastServedAt = :from, nextAt = :next, gsi2pk = :pk, gsi2sk = :sk',
    ConditionExpression: 'attribute_not_exists(lastServedAt) OR lastServedAt <= :from',
    ExpressionAttributeValues: {
      ':t': tenantId,
      ':c': campaign,
      ':customer': customer,
      ':from': from.toISOString(),
      ':next': nextAt,
      ':pk': dueIndexKey(tenantId, campaign),
      ':sk': `${nextAt}#${customer.email.toLowerCase()}`,
    },
  });
}

/** A served customer enters every campaign the tenant runs. */
export async function recordCustomerServed(
  tenantId: string,
  customer: Customer,
  at: Date,
  periods: Partial<Record<Campaign, number | undefined>>,
): Promise<void> {
  for (const [campaign, days] of Object.entries(periods) as [Campaign, number | undefined][]) {
    if (days) await scheduleCustomer(tenantId, campaign, customer, at, days);
  }
}

/** Customers due for a campaign by `at`. */
export async function customersDue(
  tenantId: string,
  campaign: Campaign,
  at: Date,
): Promise<CustomerSchedule[]> {
  return queryAll<CustomerSchedule>({
    IndexName: 'byTime',
    KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :at',
    ExpressionAttributeValues: {
      ':pk': dueIndexKey(tenantId, campaign),
      ':at': `${at.toISOString()}#\uffff`,
    },
  });
}
