import { newFeedbackSchema, resolutionSchema } from '../domain/feedback-case.ts';
import { paymentSchema } from '../domain/late-fees.ts';
import { completionReportSchema } from '../domain/service-record.ts';
import { customerSchema, newServiceRequestSchema } from '../domain/service-request.ts';
import { surveyAnswerSchema, surveyFormSchema } from '../domain/survey.ts';
import * as z from '../domain/zod.ts';
import type { FunctionName } from './catalog.ts';
import {
  accessTrailQuery,
  apiKeyListQuery,
  attachmentQuery,
  calendarQuery,
  cancelSchema,
  customerDataSchema,
  dispatchSchema,
  documentLanguageQuery,
  erasureSchema,
  feedbackListQuery,
  idempotencyHeaders,
  ifMatchHeaders,
  languageQuery,
  noQuery,
  pageQuery,
  periodicSurveyListQuery,
  requestListQuery,
  satisfactionReportQuery,
  staffInvitationSchema,
  statementQuery,
} from './shared/api-schemas.ts';
import {
  confirmVersionSchema,
  createApiKeySchema,
  createContractSchema,
  paymentScheduleSchema,
  proposeVersionSchema,
  sendingDomainSchema,
  settingsPatchSchema,
  terminateContractSchema,
} from './tenant-api/schemas.ts';
import { genericDeliverySchema } from './webhooks/mappings.ts';

/**
 * Every operation of the HTTP API, declared once. From this table come: the routing and the
 * role checks of every handler (functions/http/router.ts, enforced before a handler runs), the
 * parsing of path, query, headers and body, the OpenAPI document (functions/documents), the
 * API Gateway routes (infra/constructs/api.ts) and the local runtime's routes (local/http-api.ts).
 *
 * Who may do what, with an API key (roles of the key):
 * - agents act on requests, feedback and periodic surveys, and read the calendar and contracts;
 * - managers also resolve feedback, read reports and the settings;
 * - admins also manage API keys, the settings and contracts.
 */
export type Role = 'agent' | 'manager' | 'admin';
const anyStaff: readonly Role[] = ['agent', 'manager', 'admin'];
const managers: readonly Role[] = ['manager', 'admin'];
const admins: readonly Role[] = ['admin'];

/**
 * How a route is authenticated: `apiKey` by the Lambda authorizer (then the roles apply),
 * `signedLink` by the HMAC of the token in its path (emails' links), `webhookSignature` by the
 * storefront's signature (checked by the function), `public` not at all.
 */
export type Authentication = 'apiKey' | 'signedLink' | 'webhookSignature' | 'public';

export interface RouteSpec {
  operationId: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway syntax: `{name}` is a path parameter. */
  path: string;
  function: FunctionName;
  auth: Authentication;
  /** For `apiKey` routes: the roles allowed (anyone else: 403). */
  roles?: readonly Role[];
  /** Each path parameter's form: a value that cannot name anything is a 404 before any lookup. */
  params?: Record<string, z.ZodMiniString>;
  query?: z.ZodMiniType;
  headers?: z.ZodMiniType;
  /** The body: JSON unless `form` (HTML forms post `application/x-www-form-urlencoded`). */
  body?: z.ZodMiniType;
  bodyType?: 'json' | 'form';
  /** Its answer shows staff a customer's personal data: each one is recorded (functions/adapters/access-trail.ts). */
  personalData?: true;
}

// Path parameters: ids as the product mints them, bounded so a DynamoDB key can hold them.
const requestId = z.string().check(z.regex(/^sr_[a-z0-9]{1,60}$/));
const feedbackId = z.string().check(z.regex(/^fb_[a-z0-9_]{1,80}$/));
const surveyId = z.string().check(z.regex(/^ps_[a-z0-9]{1,60}$/));
const keyId = z.string().check(z.regex(/^[0-9a-f]{12}$/));
const contractId = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,80}$/));
const version = z.string().check(z.regex(/^[1-9][0-9]{0,5}$/));
const tenantId = z.string().check(z.regex(/^[a-z0-9-]{3,40}$/));
const staffId = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,80}$/));
const dataRequestId = z.string().check(z.regex(/^[a-z]+-[0-9A-Za-z_-]{1,80}$/));
const token = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,2000}\.[A-Za-z0-9_-]{43}$/));

/** A staff action on a request: it answers the request as it now is, its customer included. */
const requestRoute = (operationId: string, action: string, extra: Partial<RouteSpec> = {}): RouteSpec => ({
  operationId,
  personalData: true,
  method: 'POST',
  path: `/v1/requests/{requestId}/${action}`,
  function: 'requestsApi',
  auth: 'apiKey',
  roles: anyStaff,
  params: { requestId },
  ...extra,
});

const webhook = (storefront: string, body?: z.ZodMiniType): RouteSpec => ({
  operationId: `receive${storefront.charAt(0).toUpperCase()}${storefront.slice(1)}Delivery`,
  method: 'POST',
  path: `/v1/webhooks/{tenantId}/${storefront}`,
  function: 'webhooks',
  auth: 'webhookSignature',
  params: { tenantId },
  ...(body ? { body } : {}),
});

const table: readonly RouteSpec[] = [
  // --- service requests ------------------------------------------------------------------
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
  {
    ...requestRoute('enterRequestCustomer', 'customer', { body: customerSchema }),
    method: 'PUT',
  },
  requestRoute('answerRequestSurvey', 'survey', {
    body: surveyAnswerSchema,
  }),

  // --- storefronts -------------------------------------------------------------------------
  webhook('shopify'),
  webhook('woocommerce'),
  webhook('generic', genericDeliverySchema),

  // --- feedback (7.2) ----------------------------------------------------------------------
  {
    operationId: 'createFeedback',
    method: 'POST',
    path: '/v1/feedback',
    function: 'feedbackApi',
    auth: 'apiKey',
    roles: anyStaff,
    body: newFeedbackSchema,
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

  // --- periodic surveys (7.1) --------------------------------------------------------------
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

  // --- reports (7.2.2) ---------------------------------------------------------------------
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

  // --- administration -------------------------------------------------------------------------
  {
    operationId: 'createApiKey',
    method: 'POST',
    path: '/v1/api-keys',
    function: 'tenantApi',
    auth: 'apiKey',
    roles: admins,
    body: createApiKeySchema,
  },
  {
    operationId: 'listApiKeys',
    method: 'GET',
    path: '/v1/api-keys',
    function: 'tenantApi',
    auth: 'apiKey',
    roles: admins,
    query: apiKeyListQuery,
  },
  {
    operationId: 'revokeApiKey',
    method: 'DELETE',
    path: '/v1/api-keys/{keyId}',
    function: 'tenantApi',
    auth: 'apiKey',
    roles: admins,
    params: { keyId },
  },
  {
    operationId: 'listAccessTrail',
    method: 'GET',
    path: '/v1/access-trail',
    function: 'tenantApi',
    auth: 'apiKey',
    roles: admins,
    query: accessTrailQuery,
  },
  // --- staff (#15) ------------------------------------------------------------------------------
  {
    operationId: 'getMe',
    method: 'GET',
    path: '/v1/me',
    function: 'peopleApi',
    auth: 'apiKey',
    roles: anyStaff,
    query: noQuery,
  },
  {
    operationId: 'inviteStaff',
    method: 'POST',
    path: '/v1/staff',
    function: 'peopleApi',
    auth: 'apiKey',
    roles: admins,
    body: staffInvitationSchema,
  },
  ...(['invitation', 'disable', 'enable'] as const).map(
    (action): RouteSpec => ({
      operationId: { invitation: 'reinviteStaff', disable: 'disableStaff', enable: 'enableStaff' }[action],
      method: 'POST',
      path: `/v1/staff/{staffId}/${action}`,
      function: 'peopleApi',
      auth: 'apiKey',
      roles: admins,
      params: { staffId },
    }),
  ),
  // --- customers' personal data (12) ---------------------------------------------------------
  {
    operationId: 'exportCustomerData',
    method: 'POST',
    path: '/v1/customer-data/export',
    function: 'peopleApi',
    auth: 'apiKey',
    roles: managers,
    body: customerDataSchema,
  },
  {
    operationId: 'eraseCustomerData',
    method: 'POST',
    path: '/v1/customer-data/erase',
    function: 'peopleApi',
    auth: 'apiKey',
    roles: admins,
    body: erasureSchema,
  },
  {
    operationId: 'listDataRequests',
    method: 'GET',
    path: '/v1/customer-data/requests',
    function: 'peopleApi',
    auth: 'apiKey',
    roles: managers,
    query: pageQuery,
  },
  {
    operationId: 'getDataRequest',
    method: 'GET',
    path: '/v1/customer-data/requests/{dataRequestId}',
    function: 'peopleApi',
    auth: 'apiKey',
    roles: managers,
    params: { dataRequestId },
  },
  {
    operationId: 'getSettings',
    method: 'GET',
    path: '/v1/settings',
    function: 'tenantApi',
    auth: 'apiKey',
    roles: managers,
  },
  {
    operationId: 'changeSettings',
    method: 'PUT',
    path: '/v1/settings',
    function: 'tenantApi',
    auth: 'apiKey',
    roles: admins,
    headers: ifMatchHeaders,
    body: settingsPatchSchema,
  },
  {
    operationId: 'getSendingDomain',
    method: 'GET',
    path: '/v1/settings/sending-domain',
    function: 'tenantApi',
    auth: 'apiKey',
    roles: admins,
  },
  {
    operationId: 'setSendingDomain',
    method: 'PUT',
    path: '/v1/settings/sending-domain',
    function: 'tenantApi',
    auth: 'apiKey',
    roles: admins,
    body: sendingDomainSchema,
  },
  {
    operationId: 'removeSendingDomain',
    method: 'DELETE',
    path: '/v1/settings/sending-domain',
    function: 'tenantApi',
    auth: 'apiKey',
    roles: admins,
  },
  {
    operationId: 'getCalendar',
    method: 'GET',
    path: '/v1/calendar',
    function: 'tenantApi',
    auth: 'apiKey',
    roles: anyStaff,
    query: calendarQuery,
  },

  // --- contracts (9, 11.1) -----------------------------------------------------------------
  {
    operationId: 'createContract',
    method: 'POST',
    path: '/v1/contracts',
    function: 'tenantApi',
    auth: 'apiKey',
    roles: admins,
    body: createContractSchema,
  },
  {
    operationId: 'getContract',
    method: 'GET',
    path: '/v1/contracts/{contractId}',
    function: 'tenantApi',
    auth: 'apiKey',
    roles: anyStaff,
    params: { contractId },
  },
  {
    operationId: 'proposeContractVersion',
    method: 'POST',
    path: '/v1/contracts/{contractId}/versions',
    function: 'tenantApi',
    auth: 'apiKey',
    roles: admins,
    params: { contractId },
    body: proposeVersionSchema,
  },
  {
    operationId: 'confirmContractVersion',
    method: 'POST',
    path: '/v1/contracts/{contractId}/versions/{version}/confirm',
    function: 'tenantApi',
    auth: 'apiKey',
    roles: admins,
    params: { contractId, version },
    body: confirmVersionSchema,
  },
  {
    operationId: 'setPaymentSchedule',
    method: 'PUT',
    path: '/v1/contracts/{contractId}/payment-schedule',
    function: 'tenantApi',
    auth: 'apiKey',
    roles: admins,
    params: { contractId },
    body: paymentScheduleSchema,
  },
  {
    operationId: 'recordPayment',
    method: 'POST',
    path: '/v1/contracts/{contractId}/payments',
    function: 'tenantApi',
    auth: 'apiKey',
    roles: managers,
    params: { contractId },
    body: paymentSchema,
  },
  {
    operationId: 'terminateContract',
    method: 'POST',
    path: '/v1/contracts/{contractId}/terminate',
    function: 'tenantApi',
    auth: 'apiKey',
    roles: admins,
    params: { contractId },
    body: terminateContractSchema,
  },

  // --- documents (11.2) and this description -------------------------------------------------
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

  // --- pages reached from emails ------------------------------------------------------------
  {
    operationId: 'showSurvey',
    method: 'GET',
    path: '/s/{token}',
    function: 'surveyPage',
    auth: 'signedLink',
    params: { token },
    query: languageQuery,
  },
  {
    operationId: 'answerSurvey',
    method: 'POST',
    path: '/s/{token}',
    function: 'surveyPage',
    auth: 'signedLink',
    params: { token },
    query: languageQuery,
    body: surveyFormSchema,
    bodyType: 'form',
  },
  {
    operationId: 'showAction',
    method: 'GET',
    path: '/a/{token}',
    function: 'actionLinks',
    auth: 'signedLink',
    params: { token },
  },
  {
    operationId: 'doAction',
    method: 'POST',
    path: '/a/{token}',
    function: 'actionLinks',
    auth: 'signedLink',
    params: { token },
  },
];

export const routes: readonly RouteSpec[] = table;

/**
 * How long API Gateway keeps the API-key authorizer's decision for one Authorization header: a
 * revoked key or a suspended tenant stops working within this (the handlers check a suspended
 * tenant at once). The local HTTP API keeps decisions as long.
 */
export const API_KEY_DECISION_CACHE_SECONDS = 30;

export const routeKey = (route: Pick<RouteSpec, 'method' | 'path'>) => `${route.method} ${route.path}`;

/** The route an API Gateway route key names. */
export function routeOf(key: string): RouteSpec | undefined {
  return routesByKey.get(key);
}
const routesByKey = new Map(routes.map((route) => [routeKey(route), route]));

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
