import { newFeedbackSchema, resolutionSchema } from '../domain/feedback-case.ts';
import { completionReportSchema } from '../domain/service-record.ts';
import { customerSchema, newServiceRequestSchema } from '../domain/service-request.ts';
import { surveyAnswerSchema, surveyFormSchema } from '../domain/survey.ts';
import * as z from '../domain/zod.ts';
import type { FunctionName } from './catalog.ts';
import {
  apiKeyListView,
  calendarView,
  contractView,
  deliveryView,
  errorView,
  feedbackListView,
  feedbackView,
  gatewayErrorView,
  newApiKeyView,
  openApiView,
  periodicSurveyListView,
  periodicSurveyView,
  requestListView,
  requestView,
  revokedApiKeyView,
  satisfactionReportView,
  sendingDomainView,
  settingsView,
} from './http/views.ts';
import {
  apiKeyListQuery,
  attachmentQuery,
  calendarQuery,
  cancelSchema,
  dispatchSchema,
  documentLanguageQuery,
  feedbackListQuery,
  idempotencyHeaders,
  ifMatchHeaders,
  languageQuery,
  noQuery,
  periodicSurveyListQuery,
  requestListQuery,
  satisfactionReportQuery,
} from './shared/api-schemas.ts';
import {
  confirmVersionSchema,
  createApiKeySchema,
  createContractSchema,
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

export interface ResponseSpec {
  description: string;
  /** JSON bodies: what the body is. */
  json?: z.ZodMiniType;
  /** Other media: `text/html` pages, `text/csv` downloads, `image/svg+xml` drawings. */
  media?: 'text/html' | 'text/csv' | 'image/svg+xml';
  headers?: Record<string, string>;
}

export interface RouteSpec {
  operationId: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway syntax: `{name}` is a path parameter. */
  path: string;
  function: FunctionName;
  tag: string;
  summary: string;
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
  responses: Record<number, ResponseSpec>;
}

// Path parameters: ids as the product mints them, bounded so a DynamoDB key can hold them.
const requestId = z.string().check(z.regex(/^sr_[a-z0-9]{1,60}$/));
const feedbackId = z.string().check(z.regex(/^fb_[a-z0-9_]{1,80}$/));
const surveyId = z.string().check(z.regex(/^ps_[a-z0-9]{1,60}$/));
const keyId = z.string().check(z.regex(/^[0-9a-f]{12}$/));
const contractId = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,80}$/));
const version = z.string().check(z.regex(/^[1-9][0-9]{0,5}$/));
const tenantId = z.string().check(z.regex(/^[a-z0-9-]{3,40}$/));
const token = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,2000}\.[A-Za-z0-9_-]{43}$/));

const error = (description: string): ResponseSpec => ({ description, json: errorView });
const html = (description: string): ResponseSpec => ({ description, media: 'text/html' });

/** Answers every API-key route can give besides its own: the authorizer's, and ours for bad input. */
const apiKeyErrors: Record<number, ResponseSpec> = {
  400: error('Malformed JSON, or a header or cursor that cannot be read'),
  401: { description: 'No API key (API Gateway answers this itself)', json: gatewayErrorView },
  403: {
    description:
      'A key the authorizer refuses (API Gateway’s {"message"}), or a role not allowed here (our error shape)',
    json: z.union([gatewayErrorView, errorView]),
  },
  413: error('The body is larger than the API accepts'),
  422: error('Invalid fields: `fields` says which and why'),
};
const notFound = { 404: error('Not found (also: another tenant’s, or an id that cannot exist)') };
const conflict = { 409: error('Not allowed in the current status: the message says why') };

const requestRoute = (
  operationId: string,
  action: string,
  summary: string,
  extra: Partial<RouteSpec> = {},
): RouteSpec => ({
  operationId,
  method: 'POST',
  path: `/v1/requests/{requestId}/${action}`,
  function: 'requestsApi',
  tag: 'Service requests',
  summary,
  auth: 'apiKey',
  roles: anyStaff,
  params: { requestId },
  responses: {
    200: { description: 'The request as it is now', json: requestView },
    ...apiKeyErrors,
    ...notFound,
    ...conflict,
  },
  ...extra,
});

const webhook = (storefront: string, summary: string, body?: z.ZodMiniType): RouteSpec => ({
  operationId: `receive${storefront.charAt(0).toUpperCase()}${storefront.slice(1)}Delivery`,
  method: 'POST',
  path: `/v1/webhooks/{tenantId}/${storefront}`,
  function: 'webhooks',
  tag: 'Storefronts',
  summary,
  auth: 'webhookSignature',
  params: { tenantId },
  ...(body ? { body } : {}),
  responses: {
    200: {
      description: 'Already received (the same request), or not after-sales work (ignored)',
      json: deliveryView,
    },
    201: { description: 'A service request was opened', json: deliveryView },
    400: error('Malformed JSON, or no delivery id'),
    401: error('The delivery could not be authenticated (no hint which part failed)'),
    413: error('Larger than a storefront sends'),
    422: error('The delivery cannot be a service request: `fields` says why'),
  },
});

const table: readonly RouteSpec[] = [
  // --- service requests ------------------------------------------------------------------
  {
    operationId: 'createRequest',
    method: 'POST',
    path: '/v1/requests',
    function: 'requestsApi',
    tag: 'Service requests',
    summary: 'Enter a service request (staff: phone call, counter visit); Idempotency-Key makes a retry safe',
    auth: 'apiKey',
    roles: anyStaff,
    headers: idempotencyHeaders,
    body: newServiceRequestSchema,
    responses: {
      201: { description: 'The request, stored and watched', json: requestView },
      ...apiKeyErrors,
    },
  },
  {
    operationId: 'listRequests',
    method: 'GET',
    path: '/v1/requests',
    function: 'requestsApi',
    tag: 'Service requests',
    summary: 'Requests by status (open ones by default), oldest first; closed and cancelled newest first',
    auth: 'apiKey',
    roles: anyStaff,
    query: requestListQuery,
    responses: { 200: { description: 'A page of requests', json: requestListView }, ...apiKeyErrors },
  },
  {
    operationId: 'getRequest',
    method: 'GET',
    path: '/v1/requests/{requestId}',
    function: 'requestsApi',
    tag: 'Service requests',
    summary: 'A request with its timeline, deadlines, breaches and warranty',
    auth: 'apiKey',
    roles: anyStaff,
    params: { requestId },
    responses: { 200: { description: 'The request', json: requestView }, ...apiKeyErrors, ...notFound },
  },
  requestRoute(
    'acknowledgeRequest',
    'acknowledge',
    'Respond and confirm the need; the customer is told (6.1.2)',
  ),
  requestRoute(
    'dispatchRequest',
    'dispatch',
    'Dispatch a qualified technician on-site or remotely (6.1.3, 6.2.1a)',
    {
      body: dispatchSchema,
    },
  ),
  requestRoute('completeRequest', 'complete', 'Complete and issue the immutable service record (6.1.4)', {
    body: completionReportSchema,
  }),
  requestRoute('cancelRequest', 'cancel', 'Cancel the request', { body: cancelSchema }),
  {
    ...requestRoute(
      'enterRequestCustomer',
      'customer',
      'Enter or correct the customer’s details (a storefront’s lookup still pending ends here)',
      { body: customerSchema },
    ),
    method: 'PUT',
  },
  requestRoute(
    'answerRequestSurvey',
    'survey',
    'A phone interview: staff enter the customer’s survey answers (7.1.2)',
    {
      body: surveyAnswerSchema,
    },
  ),

  // --- storefronts -------------------------------------------------------------------------
  webhook(
    'shopify',
    'Shopify returns/request, returns/decline, returns/cancel, returns/close (X-Shopify-Hmac-Sha256, X-Shopify-Topic, X-Shopify-Shop-Domain, X-Shopify-Event-Id); one request per return',
  ),
  webhook(
    'woocommerce',
    'WooCommerce order.updated (X-WC-Webhook-Signature); one request per order entering an after-sales status; the unsigned ping (webhook_id=N) is answered 200',
  ),
  webhook(
    'generic',
    'Any storefront or form: Idempotency-Key, and X-Signature: t=<unix>,v2=<hex HMAC-SHA256 of "<t>.<Idempotency-Key>.<body>"> (v1, over "<t>.<body>", still accepted)',
    genericDeliverySchema,
  ),

  // --- feedback (7.2) ----------------------------------------------------------------------
  {
    operationId: 'createFeedback',
    method: 'POST',
    path: '/v1/feedback',
    function: 'feedbackApi',
    tag: 'Feedback',
    summary: 'Enter feedback to handle within the working-day deadline (7.2.1)',
    auth: 'apiKey',
    roles: anyStaff,
    body: newFeedbackSchema,
    responses: { 201: { description: 'The feedback case', json: feedbackView }, ...apiKeyErrors },
  },
  {
    operationId: 'listFeedback',
    method: 'GET',
    path: '/v1/feedback',
    function: 'feedbackApi',
    tag: 'Feedback',
    summary: 'Feedback cases in a status (open by default), soonest due first: the worklist',
    auth: 'apiKey',
    roles: anyStaff,
    query: feedbackListQuery,
    responses: { 200: { description: 'A page of cases', json: feedbackListView }, ...apiKeyErrors },
  },
  {
    operationId: 'getFeedback',
    method: 'GET',
    path: '/v1/feedback/{feedbackId}',
    function: 'feedbackApi',
    tag: 'Feedback',
    summary: 'A feedback case with its deadline, timeline and breaches',
    auth: 'apiKey',
    roles: anyStaff,
    params: { feedbackId },
    responses: { 200: { description: 'The case', json: feedbackView }, ...apiKeyErrors, ...notFound },
  },
  {
    operationId: 'resolveFeedback',
    method: 'POST',
    path: '/v1/feedback/{feedbackId}/resolve',
    function: 'feedbackApi',
    tag: 'Feedback',
    summary: 'Resolve: the result is emailed to the customer (7.2.1, 7.2.2)',
    auth: 'apiKey',
    roles: managers,
    params: { feedbackId },
    body: resolutionSchema,
    responses: {
      200: { description: 'The case, resolved', json: feedbackView },
      ...apiKeyErrors,
      ...notFound,
      ...conflict,
    },
  },

  // --- periodic surveys (7.1) --------------------------------------------------------------
  {
    operationId: 'listPeriodicSurveys',
    method: 'GET',
    path: '/v1/surveys',
    function: 'feedbackApi',
    tag: 'Surveys',
    summary: 'Periodic surveys sent in a range of days (7.1.1); answered=false lists whom to phone',
    auth: 'apiKey',
    roles: anyStaff,
    query: periodicSurveyListQuery,
    responses: { 200: { description: 'A page of surveys', json: periodicSurveyListView }, ...apiKeyErrors },
  },
  {
    operationId: 'answerPeriodicSurvey',
    method: 'POST',
    path: '/v1/surveys/{surveyId}/answer',
    function: 'feedbackApi',
    tag: 'Surveys',
    summary: 'A phone interview: a periodic survey answered for the customer (7.1.2)',
    auth: 'apiKey',
    roles: anyStaff,
    params: { surveyId },
    body: surveyAnswerSchema,
    responses: {
      200: { description: 'The survey, answered', json: periodicSurveyView },
      ...apiKeyErrors,
      ...notFound,
      ...conflict,
    },
  },

  // --- reports (7.2.2) ---------------------------------------------------------------------
  {
    operationId: 'satisfactionReport',
    method: 'GET',
    path: '/v1/reports/satisfaction',
    function: 'reportsApi',
    tag: 'Reports',
    summary:
      'Satisfaction over time and per kind, response rate, feedback on time or late, what feedback changed',
    auth: 'apiKey',
    roles: managers,
    query: satisfactionReportQuery,
    responses: {
      200: {
        description: 'The report (format=json), or the same rows as a CSV download (format=csv: text/csv)',
        json: satisfactionReportView,
      },
      ...apiKeyErrors,
    },
  },

  // --- administration -------------------------------------------------------------------------
  {
    operationId: 'createApiKey',
    method: 'POST',
    path: '/v1/api-keys',
    function: 'tenantApi',
    tag: 'Administration',
    summary: 'Create an API key (its secret is shown this once)',
    auth: 'apiKey',
    roles: admins,
    body: createApiKeySchema,
    responses: { 201: { description: 'The key, with its secret', json: newApiKeyView }, ...apiKeyErrors },
  },
  {
    operationId: 'listApiKeys',
    method: 'GET',
    path: '/v1/api-keys',
    function: 'tenantApi',
    tag: 'Administration',
    summary: 'API keys (never their secrets)',
    auth: 'apiKey',
    roles: admins,
    query: apiKeyListQuery,
    responses: { 200: { description: 'A page of keys', json: apiKeyListView }, ...apiKeyErrors },
  },
  {
    operationId: 'revokeApiKey',
    method: 'DELETE',
    path: '/v1/api-keys/{keyId}',
    function: 'tenantApi',
    tag: 'Administration',
    summary: 'Revoke an API key',
    auth: 'apiKey',
    roles: admins,
    params: { keyId },
    responses: { 200: { description: 'Revoked', json: revokedApiKeyView }, ...apiKeyErrors, ...notFound },
  },
  {
    operationId: 'getSettings',
    method: 'GET',
    path: '/v1/settings',
    function: 'tenantApi',
    tag: 'Administration',
    summary: 'Tenant settings (storefront secrets are write-only); the ETag is their version',
    auth: 'apiKey',
    roles: managers,
    responses: {
      200: { description: 'The settings', json: settingsView, headers: { ETag: 'The settings’ version' } },
      ...apiKeyErrors,
    },
  },
  {
    operationId: 'changeSettings',
    method: 'PUT',
    path: '/v1/settings',
    function: 'tenantApi',
    tag: 'Administration',
    summary:
      'Change tenant settings: a JSON merge patch (what is left out is kept, null clears); If-Match with a GET’s ETag',
    auth: 'apiKey',
    roles: admins,
    headers: ifMatchHeaders,
    body: settingsPatchSchema,
    responses: {
      200: {
        description: 'The settings now',
        json: settingsView,
        headers: { ETag: 'The settings’ new version' },
      },
      ...apiKeyErrors,
      ...conflict,
      412: error('If-Match names a version that is no longer current: read them again'),
    },
  },
  {
    operationId: 'getSendingDomain',
    method: 'GET',
    path: '/v1/settings/sending-domain',
    function: 'tenantApi',
    tag: 'Administration',
    summary:
      'The tenant’s own sending domain: its DNS records and whether SES has verified them (asked again)',
    auth: 'apiKey',
    roles: admins,
    responses: { 200: { description: 'The domain', json: sendingDomainView }, ...apiKeyErrors, ...notFound },
  },
  {
    operationId: 'setSendingDomain',
    method: 'PUT',
    path: '/v1/settings/sending-domain',
    function: 'tenantApi',
    tag: 'Administration',
    summary:
      'Send from the tenant’s own domain: publish the CNAME records returned; mail goes from it once SES has verified them',
    auth: 'apiKey',
    roles: admins,
    body: sendingDomainSchema,
    responses: {
      200: { description: 'The domain, pending until its DNS records are found', json: sendingDomainView },
      ...apiKeyErrors,
      409: error('The tenant sends from another domain (remove it first), or another tenant added this one'),
    },
  },
  {
    operationId: 'removeSendingDomain',
    method: 'DELETE',
    path: '/v1/settings/sending-domain',
    function: 'tenantApi',
    tag: 'Administration',
    summary: 'Send from the service’s domain again (with the tenant’s name and Reply-To)',
    auth: 'apiKey',
    roles: admins,
    responses: { 204: { description: 'Removed' }, ...apiKeyErrors, ...notFound },
  },
  {
    operationId: 'getCalendar',
    method: 'GET',
    path: '/v1/calendar',
    function: 'tenantApi',
    tag: 'Administration',
    summary: 'The working calendar day by day: working or not, why, and whether it is an estimate',
    auth: 'apiKey',
    roles: anyStaff,
    query: calendarQuery,
    responses: { 200: { description: 'The days', json: calendarView }, ...apiKeyErrors },
  },

  // --- contracts (9, 11.1) -----------------------------------------------------------------
  {
    operationId: 'createContract',
    method: 'POST',
    path: '/v1/contracts',
    function: 'tenantApi',
    tag: 'Contracts',
    summary: 'Record a contract (version 1, awaiting both confirmations)',
    auth: 'apiKey',
    roles: admins,
    body: createContractSchema,
    responses: { 201: { description: 'The contract', json: contractView }, ...apiKeyErrors, ...conflict },
  },
  {
    operationId: 'getContract',
    method: 'GET',
    path: '/v1/contracts/{contractId}',
    function: 'tenantApi',
    tag: 'Contracts',
    summary: 'A contract with its versions and the one in force',
    auth: 'apiKey',
    roles: anyStaff,
    params: { contractId },
    responses: { 200: { description: 'The contract', json: contractView }, ...apiKeyErrors, ...notFound },
  },
  {
    operationId: 'proposeContractVersion',
    method: 'POST',
    path: '/v1/contracts/{contractId}/versions',
    function: 'tenantApi',
    tag: 'Contracts',
    summary: 'Propose an amendment (11.1)',
    auth: 'apiKey',
    roles: admins,
    params: { contractId },
    body: proposeVersionSchema,
    responses: {
      201: { description: 'The contract with the new version', json: contractView },
      ...apiKeyErrors,
      ...notFound,
      ...conflict,
    },
  },
  {
    operationId: 'confirmContractVersion',
    method: 'POST',
    path: '/v1/contracts/{contractId}/versions/{version}/confirm',
    function: 'tenantApi',
    tag: 'Contracts',
    summary: 'One party confirms a version in writing',
    auth: 'apiKey',
    roles: admins,
    params: { contractId, version },
    body: confirmVersionSchema,
    responses: {
      200: { description: 'The contract', json: contractView },
      ...apiKeyErrors,
      ...notFound,
      ...conflict,
    },
  },
  {
    operationId: 'terminateContract',
    method: 'POST',
    path: '/v1/contracts/{contractId}/terminate',
    function: 'tenantApi',
    tag: 'Contracts',
    summary: 'Terminate by mutual agreement or for breach (9.2)',
    auth: 'apiKey',
    roles: admins,
    params: { contractId },
    body: terminateContractSchema,
    responses: {
      200: { description: 'The contract', json: contractView },
      ...apiKeyErrors,
      ...notFound,
      ...conflict,
    },
  },

  // --- documents (11.2) and this description -------------------------------------------------
  {
    operationId: 'getOpenApiDocument',
    method: 'GET',
    path: '/v1/openapi.json',
    function: 'documents',
    tag: 'Documents',
    summary: 'This document',
    auth: 'public',
    query: noQuery,
    responses: {
      200: { description: 'OpenAPI 3.1', json: openApiView },
      422: error('An unknown query parameter'),
    },
  },
  {
    operationId: 'getSurveyForm',
    method: 'GET',
    path: '/v1/attachments/survey-form',
    function: 'documents',
    tag: 'Documents',
    summary: 'The satisfaction survey form as the contract attaches it (11.2): printable, Chinese first',
    auth: 'apiKey',
    roles: anyStaff,
    query: attachmentQuery,
    responses: { 200: html('The printable form'), ...apiKeyErrors, ...notFound },
  },
  {
    operationId: 'getServiceFlowChart',
    method: 'GET',
    path: '/v1/attachments/service-flow-chart',
    function: 'flowCharts',
    tag: 'Documents',
    summary: 'The service flow chart (11.2), drawn with the contract version’s figures, printable',
    auth: 'apiKey',
    roles: anyStaff,
    query: attachmentQuery,
    responses: { 200: html('The printable page'), ...apiKeyErrors, ...notFound },
  },
  {
    operationId: 'getServiceFlowChartSvg',
    method: 'GET',
    path: '/v1/attachments/service-flow-chart.svg',
    function: 'flowCharts',
    tag: 'Documents',
    summary: 'The same chart as an SVG image alone (for an email, a document)',
    auth: 'apiKey',
    roles: anyStaff,
    query: attachmentQuery,
    responses: {
      200: { description: 'The chart', media: 'image/svg+xml' },
      ...apiKeyErrors,
      ...notFound,
    },
  },
  {
    operationId: 'getWorkflowDiagrams',
    method: 'GET',
    path: '/v1/attachments/workflow-diagrams',
    function: 'flowCharts',
    tag: 'Documents',
    summary: 'For operators: the deployed state machines, drawn from their definitions',
    auth: 'apiKey',
    roles: anyStaff,
    query: noQuery,
    responses: { 200: html('The diagrams'), ...apiKeyErrors },
  },
  {
    operationId: 'getServiceRecordDocument',
    method: 'GET',
    path: '/v1/requests/{requestId}/service-record',
    function: 'documents',
    tag: 'Documents',
    summary: 'The service record of a completed request (6.1.4), printable for signature',
    auth: 'apiKey',
    roles: anyStaff,
    params: { requestId },
    query: documentLanguageQuery,
    responses: { 200: html('The printable record'), ...apiKeyErrors, ...notFound },
  },

  // --- pages reached from emails ------------------------------------------------------------
  {
    operationId: 'showSurvey',
    method: 'GET',
    path: '/s/{token}',
    function: 'surveyPage',
    tag: 'Pages from emails',
    summary: 'The customer’s survey page (signed link from the service-record email)',
    auth: 'signedLink',
    params: { token },
    query: languageQuery,
    responses: {
      200: html('The form'),
      404: html('A link that is not valid'),
      409: html('Already answered'),
      410: html('The invitation has expired'),
    },
  },
  {
    operationId: 'answerSurvey',
    method: 'POST',
    path: '/s/{token}',
    function: 'surveyPage',
    tag: 'Pages from emails',
    summary: 'Submit the survey, once per invitation',
    auth: 'signedLink',
    params: { token },
    query: languageQuery,
    body: surveyFormSchema,
    bodyType: 'form',
    responses: {
      200: html('Thank you'),
      404: html('A link that is not valid'),
      409: html('Already answered'),
      410: html('The invitation has expired'),
      422: html('The form again, with what is missing marked'),
      503: html('Not saved for now: submit again (it will not be counted twice)'),
    },
  },
  {
    operationId: 'showAction',
    method: 'GET',
    path: '/a/{token}',
    function: 'actionLinks',
    tag: 'Pages from emails',
    summary: 'A signed action link from an escalation email: shows what it will do',
    auth: 'signedLink',
    params: { token },
    responses: {
      200: html('What the link does, and a button'),
      404: html('Not valid'),
      410: html('Done with'),
    },
  },
  {
    operationId: 'doAction',
    method: 'POST',
    path: '/a/{token}',
    function: 'actionLinks',
    tag: 'Pages from emails',
    summary: 'A signed action link: acknowledge or take over without logging in',
    auth: 'signedLink',
    params: { token },
    responses: {
      200: html('Done'),
      403: html('Not on the staff list'),
      404: html('Not valid'),
      409: html('Already done, or taken over by someone else'),
      410: html('Done with'),
    },
  },
];

/** A path with a malformed percent-encoding is refused before any route: 400, on every route with parameters. */
const malformedPath = error('The path has a malformed percent-encoding');
export const routes: readonly RouteSpec[] = table.map((route) =>
  route.params && !route.responses[400]
    ? { ...route, responses: { ...route.responses, 400: malformedPath } }
    : route,
);

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
