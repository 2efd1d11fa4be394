import { minutesLate } from '../../domain/breach.ts';
import { newFeedbackSchema, resolutionSchema } from '../../domain/feedback-case.ts';
import { surveyAnswerSchema } from '../../domain/survey.ts';
import { feedbackOwner } from '../../domain/tenant.ts';
import { breachesOfRequest } from '../adapters/breaches.ts';
import { now } from '../adapters/clock.ts';
import {
  feedbackTimeline,
  getFeedbackCase,
  listFeedbackByStatus,
  recordFeedbackStep,
  type StoredFeedbackCase,
} from '../adapters/feedback-cases.ts';
import {
  getPeriodicSurvey,
  isPeriodicSurveyId,
  periodicSurveysBetween,
} from '../adapters/periodic-surveys.ts';
import { getRequest } from '../adapters/requests.ts';
import { resumeWaitingWorkflow } from '../adapters/workflows.ts';
import { feedbackListQuery, periodicSurveyListQuery } from '../shared/api-schemas.ts';
import { actorOf, tenantOf } from '../shared/caller.ts';
import { instantsOfDays } from '../shared/day-range.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { openFeedbackCase, routeOfFeedback } from '../shared/feedback-intake.ts';
import {
  apiKeyRoutes,
  type Caller,
  type HttpEvent,
  type HttpResult,
  json,
  parseJsonBody,
  parseQuery,
  type RouteHandler,
} from '../shared/http.ts';
import { recordPeriodicSurveyAnswer } from '../shared/survey-answers.ts';

async function view(feedback: StoredFeedbackCase) {
  const { callbackToken: _token, timelineArchived: _archived, ...visible } = feedback;
  const [breaches, timeline] = await Promise.all([
    breachesOfRequest(feedback.tenantId, feedback.contractId, feedback.feedbackId),
    feedbackTimeline(feedback),
  ]);
  const at = now();
  return {
    ...visible,
    timeline,
    breaches: breaches.map((b) => ({ ...b, minutesLate: minutesLate(b, at), open: b.metAt === undefined })),
  };
}

/** Staff entry of feedback (a phone interview, a letter): due within the working days. */
async function create(event: HttpEvent, caller: Caller): Promise<HttpResult> {
  const input = parseJsonBody(event, newFeedbackSchema);
  const [tenant, request] = await Promise.all([
    tenantOf(caller),
    input.requestId ? getRequest(caller.tenantId, input.requestId) : undefined,
  ]);
  if (input.requestId && !request)
    throw new ValidationError('Unknown request', { requestId: ['no request has this id'] });
  const { feedback } = await openFeedbackCase(
    tenant,
    { ...input, assigneeId: input.assigneeId ?? feedbackOwner(tenant) },
    {
      receivedAt: now(),
      actor: actorOf(caller),
      terms: request?.terms,
      requestKind: request?.kind,
    },
  );
  return json(201, await view(feedback));
}

async function getOne(event: HttpEvent, caller: Caller): Promise<HttpResult> {
  const feedback = await getFeedbackCase(caller.tenantId, event.pathParameters?.feedbackId ?? '');
  if (!feedback) throw new NotFoundError(`feedback case ${event.pathParameters?.feedbackId}`);
  return json(200, await view(feedback));
}

/** 7.2.1, 7.2.2: the result (told to the customer by the workflow) and what will change. */
async function resolve(event: HttpEvent, caller: Caller): Promise<HttpResult> {
  const input = parseJsonBody(event, resolutionSchema);
  const feedbackId = event.pathParameters?.feedbackId ?? '';
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
  await resumeWaitingWorkflow(
    resolved.callbackToken,
    routeOfFeedback(resolved, await tenantOf(caller), now()),
  );
  return json(200, await view(resolved));
}

/** The worklist: cases in a status (open by default), soonest due first. */
async function list(event: HttpEvent, caller: Caller): Promise<HttpResult> {
  const { status, limit } = parseQuery(event, feedbackListQuery);
  const items = await listFeedbackByStatus(caller.tenantId, status, limit);
  return json(200, {
    items: items.map(({ callbackToken: _t, timeline: _tl, timelineArchived: _a, ...summary }) => summary),
  });
}

// --- periodic surveys (7.1.1) ----------------------------------------------------------------

/** Periodic surveys sent in a range of days; `answered=false` is the list to phone (7.1.2). */
async function listSurveys(event: HttpEvent, caller: Caller): Promise<HttpResult> {
  const { answered, ...range } = parseQuery(event, periodicSurveyListQuery);
  const tenant = await tenantOf(caller);
  const { from, to } = instantsOfDays(tenant.timeZone, range.from, range.to);
  const items = (await periodicSurveysBetween(caller.tenantId, from, to)).filter(
    (survey) => answered === undefined || Boolean(survey.answeredAt) === (answered === 'true'),
  );
  return json(200, { items });
}

/** 7.1.2: a phone interview for a periodic survey, entered by staff on the customer's behalf. */
async function phoneSurvey(event: HttpEvent, caller: Caller): Promise<HttpResult> {
  const answer = parseJsonBody(event, surveyAnswerSchema);
  const surveyId = event.pathParameters?.surveyId ?? '';
  const survey = isPeriodicSurveyId(surveyId)
    ? await getPeriodicSurvey(caller.tenantId, surveyId)
    : undefined;
  if (!survey) throw new NotFoundError(`survey ${surveyId}`);
  const outcome = await recordPeriodicSurveyAnswer(
    await tenantOf(caller),
    survey,
    answer,
    { channel: 'phone', by: actorOf(caller) },
    now(),
  );
  if (outcome === 'already-answered') throw new ConflictError('This survey was already answered');
  return json(200, (await getPeriodicSurvey(caller.tenantId, surveyId)) ?? survey);
}

const routeHandlers: Record<string, RouteHandler> = {
  'GET /v1/surveys': listSurveys,
  'POST /v1/surveys/{surveyId}/answer': phoneSurvey,
  'POST /v1/feedback': create,
  'GET /v1/feedback': list,
  'GET /v1/feedback/{feedbackId}': getOne,
  'POST /v1/feedback/{feedbackId}/resolve': resolve,
};

export const handler = apiKeyRoutes(routeHandlers);
