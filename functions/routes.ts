import { actionLinksRoutes } from './action-links/routes.ts';
import { conversationsApiRoutes } from './conversations-api/routes.ts';
import { documentsRoutes } from './documents/routes.ts';
import { feedbackApiRoutes } from './feedback-api/routes.ts';
import { flowChartsRoutes } from './flow-charts/routes.ts';
import type { RouteSpec } from './http/route-spec.ts';
import { peopleApiRoutes } from './people-api/routes.ts';
import { reportsApiRoutes } from './reports-api/routes.ts';
import { requestsApiRoutes } from './requests-api/routes.ts';
import { surveyPageRoutes } from './survey-page/routes.ts';
import { tenantApiRoutes } from './tenant-api/routes.ts';
import { webhooksRoutes } from './webhooks/routes.ts';

export { type Authentication, type Role, type RouteSpec, routeKey } from './http/route-spec.ts';

/**
 * Every operation of the HTTP API: each function's routes, gathered. From this table come the
 * OpenAPI document (functions/documents), the API Gateway routes (infra/constructs/api.ts) and
 * the local runtime's routes (local/http-api.ts); each function's handler enforces its own part
 * (functions/http/router.ts) without carrying the others' schemas.
 */
const gathered = [
  ...requestsApiRoutes,
  ...webhooksRoutes,
  ...feedbackApiRoutes,
  ...conversationsApiRoutes,
  ...reportsApiRoutes,
  ...tenantApiRoutes,
  ...peopleApiRoutes,
  ...documentsRoutes,
  ...flowChartsRoutes,
  ...surveyPageRoutes,
  ...actionLinksRoutes,
] as const satisfies readonly RouteSpec[];
export const routes: readonly RouteSpec[] = gathered;

/** Every operation's id: what the documentation (functions/route-docs.ts) is keyed by. */
export type OperationId = (typeof gathered)[number]['operationId'];

export { API_KEY_DECISION_CACHE_SECONDS } from './shared/http.ts';

const compiled = routes.map((route) => {
  const names: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
});

/**
 * The route a concrete method and path reach, with the path's parameters as they were sent
 * (percent-encoded); `allowed` names the methods of a known path whatever the method asked.
 */
export function matchRoute(
  method: string,
  path: string,
): { route?: RouteSpec; rawParameters: Record<string, string>; allowed: string[] } {
  const matching = compiled.filter((c) => c.pattern.test(path));
  const allowed = [...new Set(matching.map((c) => c.route.method))];
  const hit = matching.find((c) => c.route.method === method);
  if (!hit) return { rawParameters: {}, allowed };
  const values = hit.pattern.exec(path)!.slice(1);
  return {
    route: hit.route,
    rawParameters: Object.fromEntries(hit.names.map((n, i) => [n, values[i]!])),
    allowed,
  };
}
