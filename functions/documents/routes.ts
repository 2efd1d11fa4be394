import { anyStaff, type RouteSpec, requestId } from '../http/route-spec.ts';
import { attachmentQuery, documentLanguageQuery, noQuery } from '../shared/api-schemas.ts';

/** The routes documents serves (functions/http/route-spec.ts). */
export const documentsRoutes = [
  {
    operationId: 'getOpenApiDocument',
    method: 'GET',
    path: '/v1/openapi.json',
    function: 'documents',
    auth: 'public',
    query: noQuery,
  },
  {
    operationId: 'getSurveyForm',
    method: 'GET',
    path: '/v1/attachments/survey-form',
    function: 'documents',
    auth: 'apiKey',
    roles: anyStaff,
    query: attachmentQuery,
  },
  {
    operationId: 'getServiceRecordDocument',
    personalData: true,
    method: 'GET',
    path: '/v1/requests/{requestId}/service-record',
    function: 'documents',
    auth: 'apiKey',
    roles: anyStaff,
    params: { requestId },
    query: documentLanguageQuery,
  },
] as const satisfies readonly RouteSpec[];
