import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { completionDeadline } from '#domain/deadlines.ts';
import { type Route, watchedDeadlines } from '#domain/lifecycle.ts';
import { kindName } from '#domain/service-request.ts';
import { SURVEY_EXPIRES_AFTER_SECONDS, SURVEY_REMINDER_AFTER_SECONDS } from '#domain/survey.ts';
import { now } from '../adapters/clock.ts';
import { recordCustomerServed } from '../adapters/customers.ts';
import { sendOnce } from '../adapters/mailer.ts';
import {
  customerOf,
  getRequest,
  hasCustomer,
  recordStep,
  type StoredRequest,
  surveysIndexKey,
  transitionRequest,
} from '../adapters/requests.ts';
import { signLink } from '../adapters/signed-links.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import {
  cancellationEmail,
  requestPromiseText,
  serviceRecordEmail,
  surveyReminderEmail,
} from '../emails/service-request-emails.ts';
import { burstSteps } from '../shared/burst-steps.ts';
import { confirmNeedWithCustomer, customerVoice } from '../shared/confirm-need.ts';
import { attemptCustomerLookup } from '../shared/customer-lookup.ts';
import { transientAwsErrors } from '../shared/errors.ts';
import { type EscalationSubject, promiseKept, takeDueEscalations } from '../shared/escalation.ts';
import { lifecycleStateOf, requestRoute } from '../shared/lifecycle-route.ts';
import { logger } from '../shared/logger.ts';
import { requestAnswerConsequences } from '../shared/survey-answers.ts';
import { watchedRequests } from '../shared/watched-kinds.ts';

type Loaded = { subject: StoredRequest; tenant: StoredTenant };

/** The request again after another attempt changed it (the tenant does not change meanwhile). */
async function reload(request: StoredRequest): Promise<StoredRequest> {
  return (await getRequest(request.tenantId, request.requestId)) ?? request;
}

const routed = (request: StoredRequest, tenant: StoredTenant): Route => requestRoute(request, tenant, now());

/** The customer's signed link to the survey page, valid until the invitation expires. */
function surveyLinkFor(request: StoredRequest, expiresAt: string): Promise<string> {
  return signLink({
    tenantId: request.tenantId,
    requestId: request.requestId,
    action: 'survey',
    actor: customerOf(request).email,
    expiresAt: Math.floor(Date.parse(expiresAt) / 1000),
  });
}

const steps = {
  /** A storefront's customer details, read when due (a failed read schedules the next). */
  async lookUpCustomer({ subject: request, tenant }: Loaded): Promise<Route> {
    if (routed(request, tenant).phase !== 'lookUpCustomer') return routed(request, tenant);
    return routed(await attemptCustomerLookup(tenant, request, now()), tenant);
  },

  /** Takes every due step of the ladder: each breach once, each email at least once, each step marked once. */
  async escalate({ subject: request, tenant }: Loaded): Promise<Route> {
    const watched = watchedDeadlines(lifecycleStateOf(request));
    if (watched.length === 0) return routed(request, tenant);
    const subject: EscalationSubject = {
      tenantId: request.tenantId,
      subjectId: request.requestId,
      contractId: request.terms.contractId,
      contractVersion: request.terms.contractVersion,
      assigneeId: request.assigneeId,
      customer: request.customer,
      customerWords: request.description,
      what: kindName(tenant.language, request.kind),
      promiseText: (promise) =>
        requestPromiseText(tenant.language, request, promise === 'response' ? 'response' : 'completion'),
      escalationsTaken: request.escalationsTaken,
      // Until someone responds, responding is what is asked of whoever reads the email.
      offers: request.status === 'received' ? ['acknowledge', 'takeOver'] : ['takeOver'],
    };
    const { due, updated } = await takeDueEscalations(tenant, subject, watched, now(), (keys, event) =>
      recordStep(request.tenantId, request.requestId, { onceEscalation: keys, event }),
    );
    return routed(due > 0 ? (updated ?? (await reload(request))) : request, tenant);
  },

  /** 6.1.2: the customer hears that the need is confirmed (if whoever acknowledged could not tell them). */
  async confirmNeed({ subject: request, tenant }: Loaded): Promise<Route> {
    return routed(await confirmNeedWithCustomer(request, tenant, now()), tenant);
  },

  /** Cancelled after the customer was told the need is confirmed: they hear it is off (#37). */
  async tellCancellation({ subject: request, tenant }: Loaded): Promise<Route> {
    if (routed(request, tenant).phase !== 'tellCancellation' || !hasCustomer(request))
      return routed(request, tenant);
    const at = now();
    const outcome = await sendOnce(
      tenant,
      `cancellation:${request.requestId}`,
      cancellationEmail(request, customerVoice(request, tenant)),
    );
    const updated = await recordStep(request.tenantId, request.requestId, {
      expect: { cancellationToldAt: undefined },
      fields: { cancellationToldAt: at.toISOString() },
      event: {
        at: at.toISOString(),
        type: 'customer_told_of_cancellation',
        actor: 'system',
        details: {
          to: request.customer.email,
          ...(!outcome.sent && outcome.reason === 'rejected' ? { emailRejected: outcome.detail } : {}),
        },
      },
    });
    return routed(updated ?? (await reload(request)), tenant);
  },

  /** 6.1.4: the immutable record goes to the customer; a completion breach is met now. */
  async deliverServiceRecord({ subject: request, tenant }: Loaded): Promise<Route> {
    // Without the customer's details the record waits for them (the route says so too).
    if (request.serviceRecordDelivered || !request.serviceRecord || !hasCustomer(request))
      return routed(request, tenant);
    const at = now();
    const voice = customerVoice(request, tenant);
    const language = voice.language;
    const survey = {
      invitedAt: at.toISOString(),
      reminderAt: new Date(at.getTime() + SURVEY_REMINDER_AFTER_SECONDS * 1000).toISOString(),
      expiresAt: new Date(at.getTime() + SURVEY_EXPIRES_AFTER_SECONDS * 1000).toISOString(),
      language,
    };
    const surveyLink = await surveyLinkFor(request, survey.expiresAt);
    const outcome = await sendOnce(
      tenant,
      `service-record:${request.requestId}`,
      serviceRecordEmail(request, voice, tenant.timeZone, surveyLink),
    );
    await promiseKept(
      {
        tenantId: request.tenantId,
        subjectId: request.requestId,
        contractId: request.terms.contractId,
        contractVersion: request.terms.contractVersion,
      },
      'completion',
      completionDeadline(new Date(request.receivedAt), request.terms),
      request.completedAt!,
    );
    // 3.1c, 7.1.1: a served customer is visited and surveyed again after the tenant's periods.
    await recordCustomerServed(request.tenantId, request.customer, new Date(request.completedAt!), {
      followUpVisit: tenant.followUpVisitEveryDays,
      periodicSurvey: tenant.periodicSurveyEveryDays,
    });
    const updated = await recordStep(request.tenantId, request.requestId, {
      onceFlag: 'serviceRecordDelivered',
      // Surveys by invitation time, for the satisfaction report (7.2.2).
      fields: {
        survey,
        gsi2pk: surveysIndexKey(request.tenantId),
        gsi2sk: `${survey.invitedAt}#${request.requestId}`,
      },
      event: {
        at: at.toISOString(),
        type: 'service_record_delivered',
        actor: 'system',
        details: {
          to: request.customer.email,
          surveyInvited: true,
          ...(!outcome.sent && outcome.reason === 'rejected' ? { emailRejected: outcome.detail } : {}),
        },
      },
    });
    return routed(updated ?? (await reload(request)), tenant);
  },

  /** 7.1: one reminder if the survey is still unanswered. */
  async remindSurvey({ subject: request, tenant }: Loaded): Promise<Route> {
    if (routed(request, tenant).phase !== 'remindSurvey' || !request.survey || !hasCustomer(request)) {
      return routed(request, tenant);
    }
    const surveyLink = await surveyLinkFor(request, request.survey.expiresAt);
    await sendOnce(
      tenant,
      `survey-reminder:${request.requestId}`,
      surveyReminderEmail(
        request,
        { ...customerVoice(request, tenant), language: request.survey.language },
        surveyLink,
      ),
    );
    const updated = await recordStep(request.tenantId, request.requestId, {
      fields: { 'survey.remindedAt': now().toISOString() },
      extraCondition: 'attribute_not_exists(survey.remindedAt)',
      event: { at: now().toISOString(), type: 'survey_reminder_sent', actor: 'system' },
    });
    return routed(updated ?? (await reload(request)), tenant);
  },

  async close({ subject: request, tenant }: Loaded): Promise<Route> {
    // The last backstop of a survey answer: its feedback case exists before the request closes.
    await requestAnswerConsequences(tenant, request, { wake: false });
    const at = now().toISOString();
    const closed = await transitionRequest(request, {
      from: ['completed'],
      to: 'closed',
      fields: { closedAt: at },
      event: { at, type: 'closed', actor: 'system' },
    });
    return routed(closed ?? (await reload(request)), tenant);
  },
};

/** Claim and park are the mechanism's (functions/shared/watched-subject.ts); the steps above, a request's own. */
const runStep = burstSteps(watchedRequests, 'requestId', steps);

export const handler = middy().use(injectLambdaContext(logger)).use(transientAwsErrors()).handler(runStep);
