import type { Customer } from '../../domain/service-request.ts';
import { feedbackNeeded, type SurveyAnswer } from '../../domain/survey.ts';
import type { StoredFeedbackCase } from '../adapters/feedback-cases.ts';
import { answerPeriodicSurvey, type PeriodicSurvey } from '../adapters/periodic-surveys.ts';
import { recordStep, type StoredRequest } from '../adapters/requests.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import { openFeedbackCase } from './feedback-intake.ts';
import { wakeLifecycle } from './lifecycle-route.ts';

export type AnswerOutcome = 'recorded' | 'already-answered' | 'expired' | 'not-invited';

/**
 * Records a survey answer once (web page or phone interview, 7.1.2), lets the request's
 * lifecycle close, and opens a feedback case when the answer needs handling (7.2.1).
 */
export async function recordSurveyAnswer(
  tenant: StoredTenant,
  request: StoredRequest,
  answer: SurveyAnswer,
  via: { channel: 'web' | 'phone'; by: string },
  at: Date,
): Promise<AnswerOutcome> {
  if (!request.survey) return 'not-invited';
  if (request.survey.answeredAt) return 'already-answered';
  if (via.channel === 'web' && at >= new Date(request.survey.expiresAt)) return 'expired';
  const updated = await recordStep(request.tenantId, request.requestId, {
    fields: {
      'survey.answer': answer,
      'survey.answeredAt': at.toISOString(),
      'survey.answeredVia': via.channel,
      'survey.answeredBy': via.by,
    },
    extraCondition: 'attribute_exists(survey) AND attribute_not_exists(survey.answeredAt)',
    event: { at: at.toISOString(), type: 'survey_answered', actor: via.by, details: { via: via.channel } },
  });
  if (!updated) return 'already-answered';
  await wakeLifecycle(updated, tenant, at);
  await openFeedbackIfNeeded(tenant, answer, at, via.by, {
    feedbackId: `fb_s${request.requestId.slice(3)}`,
    customer: request.customer,
    requestId: request.requestId,
    assigneeId: request.assigneeId,
    terms: request.terms,
    requestKind: request.kind,
  });
  return 'recorded';
}

/** The same for a periodic survey (7.1.1): no lifecycle to wake, feedback opened the same way. */
export async function recordPeriodicSurveyAnswer(
  tenant: StoredTenant,
  survey: PeriodicSurvey,
  answer: SurveyAnswer,
  via: { channel: 'web' | 'phone'; by: string },
  at: Date,
): Promise<AnswerOutcome> {
  if (survey.answeredAt) return 'already-answered';
  if (via.channel === 'web' && at >= new Date(survey.expiresAt)) return 'expired';
  if (!(await answerPeriodicSurvey(survey.tenantId, survey.surveyId, answer, via.channel, at)))
    return 'already-answered';
  await openFeedbackIfNeeded(tenant, answer, at, via.by, {
    feedbackId: `fb_${survey.surveyId}`,
    customer: survey.customer,
    requestKind: 'periodic',
  });
  return 'recorded';
}

/** 7.2.1: an answer with a low score or a written opinion becomes a feedback case (named after its survey). */
async function openFeedbackIfNeeded(
  tenant: StoredTenant,
  answer: SurveyAnswer,
  at: Date,
  by: string,
  about: {
    feedbackId: string;
    customer: Customer;
    requestId?: string;
    assigneeId?: string;
    terms?: { contractId: string; feedbackWorkingDays: number };
    requestKind: StoredFeedbackCase['requestKind'];
  },
): Promise<void> {
  const feedback = feedbackNeeded(answer);
  if (!feedback) return;
  await openFeedbackCase(
    tenant,
    {
      category: feedback.category,
      customer: about.customer,
      content: feedback.content,
      requestId: about.requestId,
      assigneeId: about.assigneeId,
    },
    {
      receivedAt: at,
      actor: by,
      feedbackId: about.feedbackId,
      terms: about.terms,
      requestKind: about.requestKind,
    },
  );
}
