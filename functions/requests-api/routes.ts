import { completionReportSchema } from '#domain/service-record.ts';
import { customerSchema, newServiceRequestSchema } from '#domain/service-request.ts';
import { surveyAnswerSchema } from '#domain/survey.ts';
import * as z from '#domain/zod.ts';
import { type ApiKeyRoute, anyStaff, managers, type RouteSpec, requestId } from '../http/route-spec.ts';
import {
  assignSchema,
  cancelSchema,
  dispatchSchema,
  idempotencyHeaders,
  requestListQuery,
} from '../shared/api-schemas.ts';

/** A staff action on a request: it answers the request as it now is, its customer included. */
const requestRoute = <
  const Id extends string,
  const Extra extends Partial<ApiKeyRoute> = Record<never, never>,
>(
  operationId: Id,
  action: string,
  extra?: Extra,
) =>
  ({
    operationId,
    personalData: true,
    method: 'POST',
    path: `/v1/requests/{requestId}/${action}`,
    function: 'requestsApi',
    auth: 'apiKey',
    roles: anyStaff,
    params: { requestId },
    ...(extra as Extra),
  }) as const;

/** The routes requestsApi serves (functions/http/route-spec.ts). */
export const requestsApiRoutes = [
  {
    operationId: 'createRequest',
    method: 'POST',
    path: '/v1/requests',
    function: 'requestsApi',
    auth: 'apiKey',
    roles: anyStaff,
    headers: idempotencyHeaders,
    body: newServiceRequestSchema,
  },
  {
    operationId: 'listRequests',
    personalData: true,
    method: 'GET',
    path: '/v1/requests',
    function: 'requestsApi',
    auth: 'apiKey',
    roles: anyStaff,
    query: requestListQuery,
  },
  {
    operationId: 'getCustomerHistory',
    personalData: true,
    method: 'GET',
    path: '/v1/customers/{email}',
    function: 'requestsApi',
    auth: 'apiKey',
    roles: anyStaff,
    params: { email: z.email().check(z.maxLength(254)) },
  },
  {
    operationId: 'countWorklist',
    method: 'GET',
    path: '/v1/worklist/counts',
    function: 'requestsApi',
    auth: 'apiKey',
    roles: anyStaff,
  },
  {
    operationId: 'getRequest',
    personalData: true,
    method: 'GET',
    path: '/v1/requests/{requestId}',
    function: 'requestsApi',
    auth: 'apiKey',
    roles: anyStaff,
    params: { requestId },
  },
  requestRoute('acknowledgeRequest', 'acknowledge'),
  requestRoute('dispatchRequest', 'dispatch', {
    body: dispatchSchema,
  }),
  requestRoute('completeRequest', 'complete', {
    body: completionReportSchema,
  }),
  requestRoute('cancelRequest', 'cancel', { body: cancelSchema }),
  requestRoute('takeOverRequest', 'take-over'),
  requestRoute('assignRequest', 'assign', { roles: managers, body: assignSchema }),
  {
    ...requestRoute('enterRequestCustomer', 'customer', { body: customerSchema }),
    method: 'PUT',
  },
  requestRoute('answerRequestSurvey', 'survey', {
    body: surveyAnswerSchema,
  }),
] as const satisfies readonly RouteSpec[];
