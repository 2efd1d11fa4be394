import type { FunctionName } from './catalog.ts';

/**
 * The HTTP API's routes, once: CDK creates an API Gateway route per entry, and the local
 * runtime serves the same table. `auth: 'apiKey'` routes go through the authorizer.
 */
export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway syntax: `{name}` is a path parameter. */
  path: string;
  function: FunctionName;
  /** `apiKey`: the Lambda authorizer; `signature`: the function verifies an HMAC (webhooks, email links). */
  auth: 'apiKey' | 'signature' | 'none';
}

export const routes: readonly RouteSpec[] = [
  { method: 'POST', path: '/v1/requests', function: 'requestsApi', auth: 'apiKey' },
  { method: 'GET', path: '/v1/requests', function: 'requestsApi', auth: 'apiKey' },
  { method: 'GET', path: '/v1/requests/{requestId}', function: 'requestsApi', auth: 'apiKey' },
  { method: 'POST', path: '/v1/requests/{requestId}/acknowledge', function: 'requestsApi', auth: 'apiKey' },
  { method: 'POST', path: '/v1/requests/{requestId}/dispatch', function: 'requestsApi', auth: 'apiKey' },
  { method: 'POST', path: '/v1/requests/{requestId}/complete', function: 'requestsApi', auth: 'apiKey' },
  { method: 'POST', path: '/v1/requests/{requestId}/cancel', function: 'requestsApi', auth: 'apiKey' },
  { method: 'POST', path: '/v1/webhooks/{tenantId}/shopify', function: 'webhooks', auth: 'signature' },
  { method: 'POST', path: '/v1/webhooks/{tenantId}/woocommerce', function: 'webhooks', auth: 'signature' },
  { method: 'POST', path: '/v1/webhooks/{tenantId}/generic', function: 'webhooks', auth: 'signature' },
  { method: 'POST', path: '/v1/feedback', function: 'feedbackApi', auth: 'apiKey' },
  { method: 'GET', path: '/v1/feedback', function: 'feedbackApi', auth: 'apiKey' },
  { method: 'GET', path: '/v1/feedback/{feedbackId}', function: 'feedbackApi', auth: 'apiKey' },
  { method: 'POST', path: '/v1/feedback/{feedbackId}/resolve', function: 'feedbackApi', auth: 'apiKey' },
  { method: 'GET', path: '/v1/surveys', function: 'feedbackApi', auth: 'apiKey' },
  { method: 'POST', path: '/v1/surveys/{surveyId}/answer', function: 'feedbackApi', auth: 'apiKey' },
  { method: 'GET', path: '/v1/reports/satisfaction', function: 'reportsApi', auth: 'apiKey' },
  { method: 'POST', path: '/v1/api-keys', function: 'tenantApi', auth: 'apiKey' },
  { method: 'GET', path: '/v1/api-keys', function: 'tenantApi', auth: 'apiKey' },
  { method: 'DELETE', path: '/v1/api-keys/{keyId}', function: 'tenantApi', auth: 'apiKey' },
  { method: 'GET', path: '/v1/settings', function: 'tenantApi', auth: 'apiKey' },
  { method: 'PUT', path: '/v1/settings', function: 'tenantApi', auth: 'apiKey' },
  { method: 'GET', path: '/v1/calendar', function: 'tenantApi', auth: 'apiKey' },
  { method: 'POST', path: '/v1/contracts', function: 'tenantApi', auth: 'apiKey' },
  { method: 'GET', path: '/v1/contracts/{contractId}', function: 'tenantApi', auth: 'apiKey' },
  { method: 'POST', path: '/v1/contracts/{contractId}/versions', function: 'tenantApi', auth: 'apiKey' },
  {
    method: 'POST',
    path: '/v1/contracts/{contractId}/versions/{version}/confirm',
    function: 'tenantApi',
    auth: 'apiKey',
  },
  { method: 'POST', path: '/v1/contracts/{contractId}/terminate', function: 'tenantApi', auth: 'apiKey' },
  { method: 'GET', path: '/v1/openapi.json', function: 'documents', auth: 'none' },
  { method: 'POST', path: '/v1/requests/{requestId}/survey', function: 'requestsApi', auth: 'apiKey' },
  { method: 'GET', path: '/v1/attachments/survey-form', function: 'documents', auth: 'none' },
  { method: 'GET', path: '/v1/attachments/service-flow-chart', function: 'documents', auth: 'none' },
  { method: 'GET', path: '/s/{token}', function: 'surveyPage', auth: 'signature' },
  { method: 'POST', path: '/s/{token}', function: 'surveyPage', auth: 'signature' },
  { method: 'GET', path: '/a/{token}', function: 'actionLinks', auth: 'signature' },
  { method: 'POST', path: '/a/{token}', function: 'actionLinks', auth: 'signature' },
];

export const routeKey = (route: Pick<RouteSpec, 'method' | 'path'>) => `${route.method} ${route.path}`;
