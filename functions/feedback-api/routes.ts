import { newFeedbackSchema, resolutionSchema } from '#domain/feedback-case.ts';
import { surveyAnswerSchema } from '#domain/survey.ts';
import * as z from '#domain/zod.ts';
import { anyStaff, feedbackId, managers, type RouteSpec } from '../http/route-spec.ts';
import { feedbackListQuery, idempotencyHeaders, periodicSurveyListQuery } from '../shared/api-schemas.ts';

const surveyId = z.string().check(z.regex(/^ps_[a-z0-9]{1,60}$/));

/** The routes feedbackApi serves (functions/http/route-spec.ts). */
export const feedbackApiRoutes = [
  {
    operationId: 'createFeedback',
    method: 'POST',
    path: '/v1/feedback',
    function: 'feedbackApi',
    auth: 'apiKey',
    roles: anyStaff,
    body: newFeedbackSchema,
    headers: idempotencyHeaders,
    idempotent: true,
  },
  {
    operationId: 'listFeedback',
    personalData: true,
    method: 'GET',
    path: '/v1/feedback',
    function: 'feedbackApi',
    auth: 'apiKey',
    roles: anyStaff,
    query: feedbackListQuery,
  },
  {
    operationId: 'getFeedback',
    personalData: true,
    method: 'GET',
    path: '/v1/feedback/{feedbackId}',
    function: 'feedbackApi',
    auth: 'apiKey',
    roles: anyStaff,
    params: { feedbackId },
  },
  {
    operationId: 'resolveFeedback',
    personalData: true,
    method: 'POST',
    path: '/v1/feedback/{feedbackId}/resolve',
    function: 'feedbackApi',
    auth: 'apiKey',
    roles: managers,
    params: { feedbackId },
    body: resolutionSchema,
  },
  {
    operationId: 'listPeriodicSurveys',
    personalData: true,
    method: 'GET',
    path: '/v1/surveys',
    function: 'feedbackApi',
    auth: 'apiKey',
    roles: anyStaff,
    query: periodicSurveyListQuery,
  },
  {
    operationId: 'answerPeriodicSurvey',
    personalData: true,
    method: 'POST',
    path: '/v1/surveys/{surveyId}/answer',
    function: 'feedbackApi',
    auth: 'apiKey',
    roles: anyStaff,
    params: { surveyId },
    body: surveyAnswerSchema,
  },
] as const satisfies readonly RouteSpec[];
