import type { Customer, Language } from '#domain/service-request.ts';
import { feedbackNeeded, type SurveyAnswer } from '#domain/survey.ts';
import { feedbackOwner } from '#domain/tenant.ts';
import type { StoredFeedbackCase } from '../adapters/feedback-cases.ts';
import { START_GRACE_SECONDS, watchEntry } from '../adapters/lifecycle-watch.ts';
import {
  answerPeriodicSurvey,
  getPeriodicSurvey,
  type PeriodicSurvey,
} from '../adapters/periodic-surveys.ts';
import { customerOf, getRequest, recordStep, type StoredRequest } from '../adapters/requests.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import { openFeedbackCase } from './feedback-intake.ts';
import { wakeRequest } from './watched-kinds.ts';

export type AnswerOutcome = 'recorded' | 'already-answered' | 'expired' | 'not-invited';

/**
 * Records a survey answer once (web page or phone interview, 7.1.2), opens a feedback case when
 * the answer needs handling (7.2.1) and lets the request's lifecycle close. The answer is
 * written first and its consequences follow; they are idempotent (the case is named after the
 * survey), so a submit retried after a failure ("already answered") makes sure of them again:
 * a recorded answer always leads to its feedback case and its wake-up. A failure of either
 * reaches the caller, who answers 5xx so that the customer (or staff) tries again.
 */
export async function recordSurveyAnswer(
  tenant: StoredTenant,
  request: StoredRequest,
  answer: SurveyAnswer,
  via: { channel: 'web' | 'phone'; by: string },
  at: Date,
): Promise<AnswerOutcome> {
  if (!request.survey) return 'not-invited';
  if (request.survey.answeredAt) {
    await requestAnswerConsequences(tenant, request);
    return 'already-answered';
  }
  if (via.channel === 'web' && at >= new Date(request.survey.expiresAt)) return 'expired';
  const updated = await recordStep(request.tenantId, request.requestId, {
    fields: {
      'survey.answer': answer,
      'survey.answeredAt': at.toISOString(),
      'survey.answeredVia': via.channel,
      'survey.answeredBy': via.by,
      // The answer carries its own promise (#34): its request is due to act within minutes (its
      // close opens the feedback case first), so if what follows here fails, the reconciler
      // restarts the lifecycle within a pass instead of at its next wake-up, days later. The burst
      // woken below parks it again with its own watch.
      ...watchEntry(
        request.tenantId,
        'request',
        request.requestId,
        new Date(at.getTime() + START_GRACE_SECONDS * 1000),
      ),
    },
    extraCondition: 'attribute_exists(survey) AND attribute_not_exists(survey.answeredAt)',
    event: { at: at.toISOString(), type: 'survey_answered', actor: via.by, details: { via: via.channel } },
  });
  if (!updated) {
    const current = await getRequest(request.tenantId, request.requestId);
    if (current) await requestAnswerConsequences(tenant, current);
    return 'already-answered';
  }
  await requestAnswerConsequences(tenant, updated);
  return 'recorded';
}

/**
 * What a request's recorded answer leads to: its feedback case, then the lifecycle's wake-up.
 * Also run by the lifecycle before it closes the request, as the last backstop.
 */
export async function requestAnswerConsequences(
  tenant: StoredTenant,
  request: StoredRequest,
  options: { wake?: boolean } = {},
): Promise<void> {
  const survey = request.survey;
  if (!survey?.answer || !survey.answeredAt) return;
  await openFeedbackIfNeeded(
    tenant,
    survey.answer,
    new Date(survey.answeredAt),
    survey.answeredBy ?? 'customer',
    {
      feedbackId: `fb_s${request.requestId.slice(3)}`,
      customer: customerOf(request),
      language: survey.language,
      requestId: request.requestId,
      terms: request.terms,
      requestKind: request.kind,
    },
  );
  if (options.wake !== false) await wakeRequest(request, 'customer');
}

/** The same for a periodic survey (7.1.1): no lifecycle to wake, feedback opened the same way. */
export async function recordPeriodicSurveyAnswer(
  tenant: StoredTenant,
  survey: PeriodicSurvey,
  answer: SurveyAnswer,
  via: { channel: 'web' | 'phone'; by: string },
  at: Date,
): Promise<AnswerOutcome> {
  if (survey.answeredAt) {
    await periodicAnswerConsequences(tenant, survey);
    return 'already-answered';
  }
  if (via.channel === 'web' && at >= new Date(survey.expiresAt)) return 'expired';
  const answered = await answerPeriodicSurvey(survey.tenantId, survey.surveyId, answer, via, at);
  if (!answered) {
    const current = await getPeriodicSurvey(survey.tenantId, survey.surveyId);
    if (current) await periodicAnswerConsequences(tenant, current);
    return 'already-answered';
  }
  await periodicAnswerConsequences(tenant, answered);
  return 'recorded';
}

/** What a periodic survey's recorded answer leads to; also made sure of by the daily run. */
export async function periodicAnswerConsequences(
  tenant: StoredTenant,
  survey: PeriodicSurvey,
): Promise<void> {
  if (!survey.answer || !survey.answeredAt) return;
  await openFeedbackIfNeeded(
    tenant,
    survey.answer,
    new Date(survey.answeredAt),
    survey.answeredBy ?? 'customer',
    {
      feedbackId: `fb_${survey.surveyId}`,
      customer: survey.customer,
      language: survey.language,
      requestKind: 'periodic',
    },
  );
}

/**
 * 7.2.1: an answer with a low score or a written opinion becomes a feedback case (named after
 * its survey, received when the answer was), assigned to the tenant's feedback owner: never
 * to whoever served the customer, whom a low score may be about.
 */
async function openFeedbackIfNeeded(
  tenant: StoredTenant,
  answer: SurveyAnswer,
  answeredAt: Date,
  by: string,
  about: {
    feedbackId: string;
    customer: Customer;
    language: Language;
    requestId?: string;
    terms?: { contractId: string; feedbackWorkingDays: number };
    requestKind: StoredFeedbackCase['requestKind'];
  },
): Promise<void> {
  const feedback = feedbackNeeded(answer, about.language);
  if (!feedback) return;
  await openFeedbackCase(
    tenant,
    {
      category: feedback.category,
      customer: about.customer,
      content: feedback.content,
      requestId: about.requestId,
      assigneeId: feedbackOwner(tenant),
    },
    {
      receivedAt: answeredAt,
      actor: by,
      feedbackId: about.feedbackId,
      terms: about.terms,
      requestKind: about.requestKind,
    },
  );
}
