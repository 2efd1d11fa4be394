import { anyStaff, type RouteSpec } from '../http/route-spec.ts';
import { attachmentQuery, noQuery } from '../shared/api-schemas.ts';

/** The routes flowCharts serves (functions/http/route-spec.ts). */
export const flowChartsRoutes = [
  {
    operationId: 'getServiceFlowChart',
    method: 'GET',
    path: '/v1/attachments/service-flow-chart',
    function: 'flowCharts',
    auth: 'apiKey',
    roles: anyStaff,
    query: attachmentQuery,
  },
  {
    operationId: 'getServiceFlowChartSvg',
    method: 'GET',
    path: '/v1/attachments/service-flow-chart.svg',
    function: 'flowCharts',
    auth: 'apiKey',
    roles: anyStaff,
    query: attachmentQuery,
  },
  {
    operationId: 'getWorkflowDiagrams',
    method: 'GET',
    path: '/v1/attachments/workflow-diagrams',
    function: 'flowCharts',
    auth: 'apiKey',
    roles: anyStaff,
    query: noQuery,
  },
] as const satisfies readonly RouteSpec[];
