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
  auth: 'apiKey' | 'none';
}

export const routes: readonly RouteSpec[] = [
  { method: 'POST', path: '/v1/requests', function: 'requestsApi', auth: 'apiKey' },
  { method: 'GET', path: '/v1/requests', function: 'requestsApi', auth: 'apiKey' },
  { method: 'GET', path: '/v1/requests/{requestId}', function: 'requestsApi', auth: 'apiKey' },
  { method: 'POST', path: '/v1/requests/{requestId}/acknowledge', function: 'requestsApi', auth: 'apiKey' },
  { method: 'POST', path: '/v1/requests/{requestId}/dispatch', function: 'requestsApi', auth: 'apiKey' },
  { method: 'POST', path: '/v1/requests/{requestId}/complete', function: 'requestsApi', auth: 'apiKey' },
  { method: 'POST', path: '/v1/requests/{requestId}/cancel', function: 'requestsApi', auth: 'apiKey' },
  { method: 'GET', path: '/a/{token}', function: 'actionLinks', auth: 'none' },
  { method: 'POST', path: '/a/{token}', function: 'actionLinks', auth: 'none' },
];

export const routeKey = (route: Pick<RouteSpec, 'method' | 'path'>) => `${route.method} ${route.path}`;
