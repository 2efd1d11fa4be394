import middy from '@middy/core';
import { z } from 'zod';
import { now } from '../adapters/clock.ts';
import { customersDueForFollowUp, recordCustomerServed } from '../adapters/customers.ts';
import { getTenant, listTenantIds } from '../adapters/tenants.ts';
import { openServiceRequest, requestIdForDelivery } from '../shared/intake.ts';

const eventSchema = z.object({ tenantId: z.string().optional() }).passthrough();

/**
 * Daily (EventBridge Scheduler on AWS, the local clock locally): opens a follow-up visit
 * (3.1c) for every customer whose visit is due; each visit runs the ordinary lifecycle and
 * ends with the satisfaction survey (7.1.1). A retried run opens nothing twice: the visit's
 * request id is derived from the customer and the due date.
 */
async function run(event: unknown): Promise<{ tenants: number; visitsOpened: number }> {
  const { tenantId } = eventSchema.parse(event ?? {});
  const at = now();
  let visitsOpened = 0;
  const tenantIds = tenantId ? [tenantId] : await listTenantIds();
  for (const id of tenantIds) {
    const tenant = await getTenant(id);
    if (!tenant?.followUpVisitEveryDays) continue;
    for (const due of await customersDueForFollowUp(id, at)) {
      const { created } = await openServiceRequest(
        tenant,
        {
          kind: 'follow_up_visit',
          customer: due.customer,
          description:
            tenant.language === 'zh-CN' ? '定期回访（第 3.1c 条）' : 'Periodic follow-up visit (clause 3.1c)',
          channel: 'api',
        },
        {
          receivedAt: at,
          actor: 'schedule:follow-up',
          requestId: requestIdForDelivery(id, 'follow-up', `${due.customer.email}|${due.nextFollowUpAt}`),
        },
      );
      if (created) visitsOpened += 1;
      // The next visit counts from this one; completing it moves the date again.
      await recordCustomerServed(id, due.customer, at, tenant.followUpVisitEveryDays);
    }
  }
  return { tenants: tenantIds.length, visitsOpened };
}

export const handler = middy<unknown, { tenants: number; visitsOpened: number }>().handler(run);
