import { minutesLate } from '#domain/breach.ts';
import { activeStaffMember, feedbackOwner } from '#domain/tenant.ts';
import { breachesOfRequest } from '../adapters/breaches.ts';
import { now } from '../adapters/clock.ts';
import {
  feedbackPage,
  feedbackTimeline,
  getFeedbackCase,
  recordFeedbackStep,
  type StoredFeedbackCase,
} from '../adapters/feedback-cases.ts';
import { getPeriodicSurvey, periodicSurveysPage } from '../adapters/periodic-surveys.ts';
import { getRequest } from '../adapters/requests.ts';
import { type ContextOf, type OperationId, serveRoutes } from '../http/router.ts';
import { shown } from '../http/show.ts';
import { conversationMarksView, feedbackSummaryView, periodicSurveyView } from '../http/views.ts';
import { actorOf, tenantOf } from '../shared/caller.ts';
import { instantsOfDays } from '../shared/day-range.ts';
import { derivedId } from '../shared/digests.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { openFeedbackCase } from '../shared/feedback-intake.ts';
import { type HttpResult, json } from '../shared/http.ts';
import { recordPeriodicSurveyAnswer } from '../shared/survey-answers.ts';
import { wakeFeedback } from '../shared/watched-kinds.ts';
import { feedbackApiRoutes } from './routes.ts';

type Context<Id extends OperationId<typeof feedbackApiRoutes>> = ContextOf<typeof feedbackApiRoutes, Id>;

async function view(feedback: StoredFeedbackCase) {
  const [breaches, timeline] = await Promise.all([
    breachesOfRequest(feedback.tenantId, feedback.contractId, feedback.feedbackId),
    feedbackTimeline(feedback),
  ]);
  const at = now();
  return {
    ...shown(feedbackSummaryView, feedback),
    ...shown(conversationMarksView, feedback),
    timeline,
    breaches: breaches.map((b) => ({ ...b, minutesLate: minutesLate(b, at), open: b.metAt === undefined })),
  };
}

/**
 * Staff entry of feedback (a phone interview, a letter): due within the working days. With an
 * `Idempotency-Key` the case is named after it, so a retry of a call cut short opens no second case.
 */
async function create({
  body: input,
  caller,
  idempotencyKey,
}: Context<'createFeedback'>): Promise<HttpResult> {
  const [tenant, request] = await Promise.all([
    tenantOf(caller),
    input.requestId ? getRequest(caller.tenantId, input.requestId) : undefined,
  ]);
  if (input.requestId && !request)
    throw new ValidationError('Unknown request', { requestId: ['no request has this id'] });
  if (input.assigneeId !== undefined && !activeStaffMember(tenant.staff, input.assigneeId))
    throw new ValidationError('Unknown assignee', {
      assigneeId: ['no staff member of this tenant who can work has this id'],
    });
  const { feedback } = await openFeedbackCase(
    tenant,
    { ...input, assigneeId: input.assigneeId ?? feedbackOwner(tenant) },
    {
      receivedAt: now(),
      actor: actorOf(caller),
      terms: request?.terms,
      requestKind: request?.kind,
      feedbackId:
        idempotencyKey === undefined ? undefined : derivedId('fb', tenant.tenantId, 'api', idempotencyKey),
    },
  );
  return json(201, await view(feedback));
}

async function getOne({ params, caller }: Context<'getFeedback'>): Promise<HttpResult> {
  const feedback = await getFeedbackCase(caller.tenantId, params.feedbackId!);
  if (!feedback) throw new NotFoundError(`feedback case ${params.feedbackId}`);
  return json(200, await view(feedback));
}

/** 7.2.1, 7.2.2: the result (told to the customer by the workflow) and what will change. */
async function resolve({ body: input, params, caller }: Context<'resolveFeedback'>): Promise<HttpResult> {
  const feedbackId = params.feedbackId!;
  const existing = await getFeedbackCase(caller.tenantId, feedbackId);
  if (!existing) throw new NotFoundError(`feedback case ${feedbackId}`);
  const at = now().toISOString();
  const resolved = await recordFeedbackStep(caller.tenantId, feedbackId, {
    requireStatus: ['open'],
    fields: {
      status: 'resolved',
      resolution: { ...input, resolvedAt: at, resolvedBy: actorOf(caller) },
    },
    event: { at, type: 'resolved', actor: actorOf(caller), details: { changes: input.changes } },
  });
  if (!resolved) throw new ConflictError(`The feedback case is already ${existing.status}`);
  await wakeFeedback(resolved);
  return json(200, await view(resolved));
}

/** The worklist: cases in a status (open by default), soonest due first. */
async function list({ query, caller }: Context<'listFeedback'>): Promise<HttpResult> {
  const page = await feedbackPage(caller.tenantId, query.status, {
    limit: query.limit,
    cursor: query.cursor,
  });
  return json(200, {
    items: page.items.map((feedback) => shown(feedbackSummaryView, feedback)),
    nextCursor: page.nextCursor,
  });
}

// --- periodic surveys (7.1.1) ----------------------------------------------------------------

/** Periodic surveys sent in a range of days; `answered=false` is the list to phone (7.1.2). */
async function listSurveys({ query, caller }: Context<'listPeriodicSurveys'>): Promise<HttpResult> {
  const tenant = await tenantOf(caller);
  const { from, to } = instantsOfDays(tenant.timeZone, query.from, query.to);
  const answered = query.answered === undefined ? undefined : query.answered === 'true';
  const page = await periodicSurveysPage(
    caller.tenantId,
    { from, to, answered },
    { limit: query.limit, cursor: query.cursor },
  );
  return json(200, {
    items: page.items.map((survey) => shown(periodicSurveyView, survey)),
    nextCursor: page.nextCursor,
  });
}

/** 7.1.2: a phone interview for a periodic survey, entered by staff on the customer's behalf. */
async function phoneSurvey({
  body: answer,
  params,
  caller,
}: Context<'answerPeriodicSurvey'>): Promise<HttpResult> {
  const surveyId = params.surveyId!;
  const survey = await getPeriodicSurvey(caller.tenantId, surveyId);
  if (!survey) throw new NotFoundError(`survey ${surveyId}`);
  const outcome = await recordPeriodicSurveyAnswer(
    await tenantOf(caller),
    survey,
    answer,
    { channel: 'phone', by: actorOf(caller) },
    now(),
  );
  if (outcome === 'already-answered') throw new ConflictError('This survey was already answered');
  return json(200, shown(periodicSurveyView, (await getPeriodicSurvey(caller.tenantId, surveyId)) ?? survey));
}

export const handler = serveRoutes('feedbackApi', feedbackApiRoutes, {
  listPeriodicSurveys: listSurveys,
  answerPeriodicSurvey: phoneSurvey,
  createFeedback: create,
  listFeedback: list,
  getFeedback: getOne,
  resolveFeedback: resolve,
});
