import { contractId, managers, type RouteSpec } from '../http/route-spec.ts';
import { satisfactionReportQuery, statementQuery } from '../shared/api-schemas.ts';

/** The routes reportsApi serves (functions/http/route-spec.ts). */
export const reportsApiRoutes = [
  {
    operationId: 'satisfactionReport',
    method: 'GET',
    path: '/v1/reports/satisfaction',
    function: 'reportsApi',
    auth: 'apiKey',
    roles: managers,
    query: satisfactionReportQuery,
  },
  {
    operationId: 'contractStatement',
    method: 'GET',
    path: '/v1/contracts/{contractId}/statement',
    function: 'reportsApi',
    auth: 'apiKey',
    roles: managers,
    params: { contractId },
    query: statementQuery,
  },
] as const satisfies readonly RouteSpec[];
