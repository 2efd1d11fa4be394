import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { arrangementsMissing } from '#domain/china-holidays.ts';
import { versionInForce } from '#domain/contract.ts';
import { paymentReminderDue, paymentsStatement } from '#domain/late-fees.ts';
import { money } from '#domain/money.ts';
import { SURVEY_EXPIRES_AFTER_SECONDS, SURVEY_REMINDER_AFTER_SECONDS } from '#domain/survey.ts';
import { isWorkingDay, localDate } from '#domain/working-calendar.ts';
import * as z from '#domain/zod.ts';
import { now } from '../adapters/clock.ts';
import { contractVersions, paymentSchedules, paymentsOf } from '../adapters/contracts.ts';
import { heldSubjectOf, recordCustomerSubject } from '../adapters/customer-data.ts';
import { customersDue, scheduleCustomer } from '../adapters/customers.ts';
import { queueDailyRuns } from '../adapters/daily-run-queue.ts';
import { sendOnce } from '../adapters/mailer.ts';
import {
  insertPeriodicSurvey,
  markPeriodicSurveyEmailRejected,
  markPeriodicSurveyReminded,
  type PeriodicSurvey,
  periodicSurveysBetween,
} from '../adapters/periodic-surveys.ts';
import { CLOSED_LISTED_DAYS, reindexOpenRequests, unlistEndedRequests } from '../adapters/requests.ts';
import { SHOPIFY_API_VERSION, shopifyVersionEndsAt } from '../adapters/shopify-version.ts';
import { signLink } from '../adapters/signed-links.ts';
import { calendarOf, getTenant, listTenantIds, type StoredTenant } from '../adapters/tenants.ts';
import { paymentReminderEmail } from '../emails/payment-emails.ts';
import { periodicSurveyEmail } from '../emails/survey-emails.ts';
import { alarmedLogMessages } from '../shared/alarmed-logs.ts';
import { derivedId } from '../shared/digests.ts';
import { confirmEstimatedFeedbackDeadlines } from '../shared/feedback-intake.ts';
import { openServiceRequest, requestIdForDelivery } from '../shared/intake.ts';
import { logger } from '../shared/logger.ts';
import {
  anonymizeExpiredCustomers,
  continueShopRedaction,
  deleteExpiredContracts,
  notifyDataRequests,
} from '../shared/retention.ts';
import { periodicAnswerConsequences } from '../shared/survey-answers.ts';

const eventSchema = z.looseObject({ tenantId: z.optional(z.string()) });

/** At most this many customers are looked at per tenant and run for retention and for a shop's redaction. */
const RETENTION_PER_RUN = 500;

/** At most this many ended requests leave the index per tenant and run; the rest on later days. */
const UNLISTED_PER_RUN = 2000;

type Outcome = {
  tenants: number;
  visitsOpened: number;
  surveysSent: number;
  remindersSent: number;
  feedbackDeadlinesConfirmed: number;
  /** Payments reminded before they fall due, or told overdue (10.1.2). */
  paymentRemindersSent: number;
  /** Closed and cancelled requests that left the by-status index (CLOSED_LISTED_DAYS). */
  requestsUnlisted: number;
  /** Open requests moved to their deadline's place in the worklist's index (after an upgrade). */
  requestsReindexed: number;
  /** 12.2: customers anonymized, their details needed by no promise for the retention period. */
  customersAnonymized: number;
  /** 12.1: contracts whose data was deleted, their confidentiality term after their end over. */
  contractsDeleted: number;
  /** Shopify's shop/redact: customers of the shop erased. */
  shopCustomersErased: number;
  /** Storefronts' data requests the tenant was told of (the export is ready). */
  dataRequestsNotified: number;
  /** Items that failed (logged and alarmed on); each is due again on the next run. */
  failures: number;
  /** Years ahead whose official holiday arrangement is not shipped yet (see arrangementsMissing). */
  holidayArrangementsMissing?: number[];
};

/**
 * Runs one item of the daily run on its own: a failure (an address SES rejects, a throttled
 * call) is logged with what it was, counted and alarmed on, and the run goes on with the next
 * customer and tenant instead of stopping every one after it. The item is not rescheduled,
 * so the next run tries it again; every step is idempotent, so nothing is done twice.
 */
async function isolated(outcome: Outcome, item: Record<string, string>, work: () => Promise<void>) {
  try {
    await work();
  } catch (error) {
    outcome.failures += 1;
    logger.error(alarmedLogMessages.dailyRunItemFailed.message, { ...item, error });
  }
}

/** 3.1c: a follow-up visit for every customer due one; it runs the ordinary lifecycle. */
async function openFollowUpVisits(tenant: StoredTenant, at: Date, outcome: Outcome): Promise<void> {
  if (!tenant.followUpVisitEveryDays) return;
  const everyDays = tenant.followUpVisitEveryDays;
  for (const due of await customersDue(tenant.tenantId, 'followUpVisit', at)) {
    const requestId = requestIdForDelivery(
      tenant.tenantId,
      'follow-up',
      `${due.customer.email}|${due.nextAt}`,
    );
    await isolated(outcome, { tenantId: tenant.tenantId, item: 'follow-up visit', requestId }, async () => {
      const { created } = await openServiceRequest(
        tenant,
        {
          kind: 'follow_up_visit',
          customer: due.customer,
          description:
            tenant.language === 'zh-CN' ? '定期回访（第 3.1c 条）' : 'Periodic follow-up visit (clause 3.1c)',
          channel: 'api',
        },
        { receivedAt: at, actor: 'schedule:follow-up', requestId },
      );
      if (created) outcome.visitsOpened += 1;
      await scheduleCustomer(tenant.tenantId, 'followUpVisit', due.customer, at, everyDays);
    });
  }
}

/** The invitation to a periodic survey, or its one reminder, in the customer's language. */
const invitation = async (tenant: StoredTenant, survey: PeriodicSurvey, reminder: boolean) =>
  periodicSurveyEmail(
    survey.customer,
    { language: survey.language, merchant: tenant.name },
    tenant.defaultTerms.feedbackWorkingDays,
    await surveyLink(survey),
    reminder,
  );

const surveyLink = (survey: PeriodicSurvey) =>
  signLink({
    tenantId: survey.tenantId,
    requestId: survey.surveyId,
    action: 'survey',
    actor: survey.customer.email,
    expiresAt: Math.floor(Date.parse(survey.expiresAt) / 1000),
  });

/** 7.1.1: a satisfaction survey for every customer due one, and one reminder for the unanswered. */
async function sendPeriodicSurveys(tenant: StoredTenant, at: Date, outcome: Outcome): Promise<void> {
  if (!tenant.periodicSurveyEveryDays) return;
  const everyDays = tenant.periodicSurveyEveryDays;
  for (const due of await customersDue(tenant.tenantId, 'periodicSurvey', at)) {
    const survey: PeriodicSurvey = {
      tenantId: tenant.tenantId,
      // Named by the customer and the due date: a retried run sends nothing twice.
      surveyId: derivedId('ps', tenant.tenantId, due.customer.email, due.nextAt),
      customer: due.customer,
      language: due.customer.language ?? tenant.language,
      invitedAt: at.toISOString(),
      reminderAt: new Date(at.getTime() + SURVEY_REMINDER_AFTER_SECONDS * 1000).toISOString(),
      expiresAt: new Date(at.getTime() + SURVEY_EXPIRES_AFTER_SECONDS * 1000).toISOString(),
    };
    const item = { tenantId: tenant.tenantId, item: 'periodic survey', surveyId: survey.surveyId };
    await isolated(outcome, item, async () => {
      await recordCustomerSubject(
        tenant.tenantId,
        survey.customer.email,
        survey.surveyId,
        heldSubjectOf(survey.surveyId, survey),
      );
      await insertPeriodicSurvey(survey);
      const sent = await sendOnce(
        tenant,
        `periodic-survey:${survey.surveyId}`,
        await invitation(tenant, survey, false),
      );
      if (sent.sent) outcome.surveysSent += 1;
      // An address SES will not send to is recorded on the survey (staff phone instead, 7.1.2).
      if (!sent.sent && sent.reason === 'rejected')
        await markPeriodicSurveyEmailRejected(tenant.tenantId, survey.surveyId, sent.detail);
      await scheduleCustomer(tenant.tenantId, 'periodicSurvey', due.customer, at, everyDays);
    });
  }
  const windowStart = new Date(at.getTime() - SURVEY_EXPIRES_AFTER_SECONDS * 1000).toISOString();
  for (const survey of await periodicSurveysBetween(tenant.tenantId, windowStart, at.toISOString())) {
    if (survey.answeredAt) {
      // The backstop of an answer whose feedback case was not opened (the submit failed after
      // the answer was written, and the customer did not try again): idempotent by the case's id.
      const item = { tenantId: tenant.tenantId, item: 'survey answer', surveyId: survey.surveyId };
      await isolated(outcome, item, () => periodicAnswerConsequences(tenant, survey));
      continue;
    }
    if (survey.remindedAt || at < new Date(survey.reminderAt) || at >= new Date(survey.expiresAt)) continue;
    const item = { tenantId: tenant.tenantId, item: 'survey reminder', surveyId: survey.surveyId };
    await isolated(outcome, item, async () => {
      await sendOnce(
        tenant,
        `periodic-survey-reminder:${survey.surveyId}`,
        await invitation(tenant, survey, true),
      );
      if (await markPeriodicSurveyReminded(tenant.tenantId, survey.surveyId, at)) outcome.remindersSent += 1;
    });
  }
}

/**
 * 10.1.2: each installment not yet paid in full is reminded of PAYMENT_REMINDER_WORKING_DAYS
 * working days before it falls due, and its lateness told on the first working day after, once
 * each, to the customer's contact on the contract in force (when that is an email address).
 */
async function remindPayments(tenant: StoredTenant, at: Date, outcome: Outcome): Promise<void> {
  const calendar = calendarOf(tenant);
  const today = localDate(tenant.timeZone, at);
  for (const { contractId, installments } of await paymentSchedules(tenant.tenantId)) {
    const item = { tenantId: tenant.tenantId, item: 'payment reminders', contractId };
    await isolated(outcome, item, async () => {
      const contract = versionInForce(await contractVersions(tenant.tenantId, contractId), at);
      const to = contract?.terms.customer.contact;
      if (!contract || !to || !z.email().safeParse(to).success) return;
      const { terms } = contract;
      const received = (await paymentsOf(tenant.tenantId, contractId)).filter((p) => p.paidOn <= today);
      const asOf = (through: string) =>
        paymentsStatement({
          installments,
          payments: received,
          currency: terms.currency,
          lateFeeRatePercent: terms.lateFeeRatePercent,
          counting: terms.lateFeeCounting,
          through,
        }).installments;
      // Due by today: as it stands today (its late fee so far); due later: what is still unpaid of it.
      const horizon = [today, ...installments.map((i) => i.dueDate)].sort().at(-1)!;
      const open = [...asOf(today), ...asOf(horizon).filter((i) => i.dueDate > today)].filter(
        (i) => money(i.outstanding, terms.currency).minor > 0n,
      );
      for (const installment of open) {
        const reminder = paymentReminderDue(
          (date) => isWorkingDay(calendar, date),
          installment.dueDate,
          today,
        );
        if (!reminder) continue;
        const sent = await sendOnce(
          tenant,
          `payment-${reminder}:${contractId}:${installment.dueDate}`,
          paymentReminderEmail(to, reminder, terms, installment),
        );
        if (sent.sent) outcome.paymentRemindersSent += 1;
      }
    });
  }
}

/** Clause 12: personal data and contract data kept no longer than the contract says (functions/shared/retention.ts). */
async function keepPersonalDataNoLonger(tenant: StoredTenant, at: Date, outcome: Outcome): Promise<void> {
  const item = { tenantId: tenant.tenantId };
  await isolated(outcome, { ...item, item: 'personal data retention' }, async () => {
    outcome.customersAnonymized = (await anonymizeExpiredCustomers(tenant, at, RETENTION_PER_RUN)).anonymized;
  });
  await isolated(outcome, { ...item, item: 'contract retention' }, async () => {
    outcome.contractsDeleted = await deleteExpiredContracts(tenant, at);
  });
  await isolated(outcome, { ...item, item: 'shop redaction' }, async () => {
    outcome.shopCustomersErased = await continueShopRedaction(tenant, at, RETENTION_PER_RUN);
  });
  await isolated(outcome, { ...item, item: 'data requests' }, async () => {
    outcome.dataRequestsNotified = await notifyDataRequests(tenant, at);
  });
}

/** One tenant's share of the daily run; what went wrong with single items is in `failures`. */
async function runTenant(tenantId: string, at: Date): Promise<Outcome> {
  const outcome: Outcome = {
    tenants: 0,
    visitsOpened: 0,
    surveysSent: 0,
    remindersSent: 0,
    feedbackDeadlinesConfirmed: 0,
    requestsUnlisted: 0,
    requestsReindexed: 0,
    paymentRemindersSent: 0,
    customersAnonymized: 0,
    contractsDeleted: 0,
    shopCustomersErased: 0,
    dataRequestsNotified: 0,
    failures: 0,
  };
  const tenant = await getTenant(tenantId);
  if (!tenant) return outcome;
  outcome.tenants = 1;
  await openFollowUpVisits(tenant, at, outcome);
  await sendPeriodicSurveys(tenant, at, outcome);
  outcome.feedbackDeadlinesConfirmed += await confirmEstimatedFeedbackDeadlines(tenant, at);
  await remindPayments(tenant, at, outcome);
  const listedSince = new Date(at.getTime() - CLOSED_LISTED_DAYS * 86_400_000).toISOString();
  outcome.requestsUnlisted = await unlistEndedRequests(tenantId, listedSince, UNLISTED_PER_RUN);
  outcome.requestsReindexed = await reindexOpenRequests(tenantId);
  await keepPersonalDataNoLonger(tenant, at, outcome);
  const missing = tenant.calendar.chinaPublicHolidays ? arrangementsMissing(at) : [];
  if (missing.length > 0) {
    // Observability turns this line into an alarm: the operators have a notice to ship.
    logger.warn(alarmedLogMessages.holidayArrangementMissing.message, {
      tenantId,
      years: missing,
      howToFix:
        'Paste the State Council notice (国务院办公厅关于<year>年部分节假日安排的通知) into domain/china-holiday-notices.ts, or upgrade chinese-days, and deploy',
    });
  }
  return { ...outcome, holidayArrangementsMissing: missing };
}

const sqsEventSchema = z.object({
  Records: z.array(z.object({ messageId: z.string(), body: z.string() })),
});
const queuedRunSchema = z.object({ tenantId: z.string().check(z.minLength(1)) });

/**
 * The queued runs, one message per tenant. A tenant whose run throws (its settings unreadable,
 * DynamoDB away for longer than the SDK retries) is reported back alone: SQS delivers it again
 * after the visibility timeout and, after DAILY_RUN_QUEUE.maxReceiveCount tries, moves it to the
 * dead-letter queue, which is alarmed on. The other tenants of the batch are done.
 */
async function runQueued(records: { messageId: string; body: string }[]) {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of records) {
    try {
      const { tenantId } = queuedRunSchema.parse(JSON.parse(record.body));
      const outcome = await runTenant(tenantId, now());
      logger.info('Daily run of a tenant', { ...outcome });
    } catch (error) {
      logger.error(alarmedLogMessages.dailyRunItemFailed.message, { item: 'tenant', record, error });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

/**
 * The daily run (EventBridge Scheduler on AWS, the local clock locally): the tenant's periodic
 * follow-up visits (3.1c) and satisfaction surveys (7.1.1) for every customer served, and exact
 * due dates for feedback cases whose holiday arrangement has been published since.
 *
 * - From the schedule (`{}`): queues one message per tenant and returns; 10,000 tenants finish
 *   in parallel invocations, and one that fails does not hold up the others.
 * - From the queue (an SQS event): runs those tenants.
 * - `{ tenantId }`: runs that tenant now and returns what it did (operators, tests).
 */
async function run(event: unknown) {
  const queued = sqsEventSchema.safeParse(event);
  if (queued.success) return runQueued(queued.data.Records);
  const { tenantId } = eventSchema.parse(event ?? {});
  if (tenantId) return runTenant(tenantId, now());
  const tenantIds = await listTenantIds();
  await queueDailyRuns(tenantIds);
  // The Shopify Admin API version we pin ends a year after its release: say so 90 days ahead.
  const versionEnds = shopifyVersionEndsAt(SHOPIFY_API_VERSION);
  if (now().getTime() >= versionEnds.getTime() - 90 * 86_400_000)
    logger.warn(alarmedLogMessages.shopifyApiDeprecated.message, {
      version: SHOPIFY_API_VERSION,
      reason: `Shopify supports this version until ${versionEnds.toISOString().slice(0, 10)}: move the query to a newer one`,
    });
  return { tenantsQueued: tenantIds.length };
}

export const handler = middy<unknown, unknown>().use(injectLambdaContext(logger)).handler(run);
