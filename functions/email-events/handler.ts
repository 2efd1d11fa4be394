import { createHash } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SNSEvent } from 'aws-lambda';
import { recipientAddresses } from '#domain/escalation-ladder.ts';
import { feedbackOwner } from '#domain/tenant.ts';
import * as z from '#domain/zod.ts';
import { now } from '../adapters/clock.ts';
import { getFeedbackCase, recordFeedbackStep } from '../adapters/feedback-cases.ts';
import { sendOnce } from '../adapters/mailer.ts';
import { getRequest, recordStep } from '../adapters/requests.ts';
import { type Suppression, suppressAddress } from '../adapters/suppressions.ts';
import { getTenant, type StoredTenant } from '../adapters/tenants.ts';
import { undeliverableEmail } from '../emails/undeliverable-email.ts';
import { logger } from '../shared/logger.ts';

/**
 * SES's bounce and complaint events (the configuration set publishes them to an SNS topic; the
 * record format is AWS's: docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html).
 * A permanent bounce or a complaint suppresses the address for the tenant, shows on the request
 * or feedback case the email was about, and tells its staff to reach the customer another way.
 * SNS may deliver an event twice: each effect is made once.
 */
const eventSchema = z.object({
  eventType: z.string(),
  bounce: z.optional(
    z.object({
      bounceType: z.string(),
      bounceSubType: z.optional(z.string()),
      bouncedRecipients: z.array(
        z.object({ emailAddress: z.string(), diagnosticCode: z.optional(z.string()) }),
      ),
      timestamp: z.string(),
    }),
  ),
  complaint: z.optional(
    z.object({
      complainedRecipients: z.array(z.object({ emailAddress: z.string() })),
      complaintFeedbackType: z.optional(z.string()),
      timestamp: z.string(),
    }),
  ),
  mail: z.object({
    messageId: z.string(),
    tags: z._default(z.record(z.string(), z.array(z.string())), {}),
  }),
});
type SesEvent = z.infer<typeof eventSchema>;

/** What the event means for us: the addresses to suppress, and why. */
function suppressionsIn(event: SesEvent): Suppression[] {
  const at = now().toISOString();
  if (event.eventType === 'Bounce' && event.bounce?.bounceType === 'Permanent')
    return event.bounce.bouncedRecipients.map((r) => ({
      address: r.emailAddress.toLowerCase(),
      reason: 'bounce',
      detail: r.diagnosticCode ?? `${event.bounce!.bounceType}/${event.bounce!.bounceSubType ?? ''}`,
      at,
    }));
  if (event.eventType === 'Complaint' && event.complaint)
    return event.complaint.complainedRecipients.map((r) => ({
      address: r.emailAddress.toLowerCase(),
      reason: 'complaint',
      detail: event.complaint!.complaintFeedbackType ?? 'complaint',
      at,
    }));
  // A transient bounce is retried by SES itself; a reject is alarmed where the send failed.
  return [];
}

/** Who answers for a subject: its assignee, else (feedback) its owner, else the ladder's first level. */
function staffOf(tenant: StoredTenant, assigneeId: string | undefined, feedback: boolean): string[] {
  const id = assigneeId ?? (feedback ? feedbackOwner(tenant) : undefined);
  const assignee = tenant.staff.find((s) => s.staffId === id);
  return assignee
    ? [assignee.email]
    : recipientAddresses(tenant.escalationLadder.levels[0]?.recipients ?? [], tenant.staff);
}

async function recordOnSubject(
  tenant: StoredTenant,
  subjectId: string,
  suppression: Suppression,
): Promise<void> {
  const undeliverable = {
    customerEmailUndeliverable: suppression,
  };
  const event = {
    at: suppression.at,
    type: 'customer_email_undeliverable',
    actor: 'ses',
    details: { address: suppression.address, reason: suppression.reason, detail: suppression.detail },
  };
  const isRequest = subjectId.startsWith('sr_');
  if (!isRequest && !subjectId.startsWith('fb_')) return;
  const subject = isRequest
    ? await getRequest(tenant.tenantId, subjectId)
    : await getFeedbackCase(tenant.tenantId, subjectId);
  const customer = subject?.customer;
  if (!subject || !customer || customer.email.toLowerCase() !== suppression.address) return;
  // Once per subject and address: a redelivered event changes nothing (the email below is keyed too).
  const step = { fields: undeliverable, event, expect: { 'customerEmailUndeliverable.address': undefined } };
  if (isRequest) await recordStep(tenant.tenantId, subjectId, step);
  else await recordFeedbackStep(tenant.tenantId, subjectId, step);
  const notify = {
    to: staffOf(tenant, subject.assigneeId, !isRequest),
    reference: subjectId,
    customerName: customer.name,
    phone: customer.phone,
  };
  if (notify.to.length === 0) return;
  await sendOnce(
    tenant,
    // The address as a digest: an email's record in the table names no customer (clause 12).
    `undeliverable:${subjectId}:${createHash('sha256').update(suppression.address).digest('hex').slice(0, 16)}`,
    undeliverableEmail(notify.to, { language: tenant.language, ...notify, ...suppression }),
  );
}

async function handle(event: SNSEvent): Promise<void> {
  for (const record of event.Records) {
    const parsed = eventSchema.safeParse(JSON.parse(record.Sns.Message));
    if (!parsed.success) {
      logger.warn('Not an SES event we read', { issues: parsed.error.issues.slice(0, 3) });
      continue;
    }
    const tenantId = parsed.data.mail.tags.tenant?.[0];
    const subjectId = parsed.data.mail.tags.subject?.[0];
    const tenant = tenantId ? await getTenant(tenantId) : undefined;
    if (!tenant) {
      logger.warn('SES event for no tenant of ours', { messageId: parsed.data.mail.messageId });
      continue;
    }
    for (const suppression of suppressionsIn(parsed.data)) {
      await suppressAddress(tenant.tenantId, suppression);
      logger.info('Address suppressed', { tenantId: tenant.tenantId, reason: suppression.reason, subjectId });
      if (subjectId) await recordOnSubject(tenant, subjectId, suppression);
    }
  }
}

export const handler = middy<SNSEvent, void>().use(injectLambdaContext(logger)).handler(handle);
