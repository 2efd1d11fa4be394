import * as z from '#domain/zod.ts';
import {
  accessTrailView,
  apiKeyListView,
  calendarView,
  contractView,
  deliveryKeptView,
  errorView,
  feedbackListView,
  feedbackView,
  gatewayErrorView,
  newApiKeyView,
  openApiView,
  paymentScheduleView,
  paymentView,
  periodicSurveyListView,
  pingView,
  requestListView,
  requestView,
  revokedApiKeyView,
  satisfactionReportView,
  sendingDomainView,
  settingsView,
  statementView,
} from './http/doc-views.ts';
import {
  customerDataView,
  dataRequestListView,
  dataRequestView,
  erasureView,
  meView,
  staffMemberView,
} from './http/people-views.ts';
import type { RouteSpec } from './http/route-spec.ts';
import {
  customerHistoryView,
  heldMailView,
  messageView,
  periodicSurveyView,
  worklistCountsView,
} from './http/views.ts';
import type { OperationId } from './routes.ts';

/**
 * What each operation of functions/routes.ts answers, for people: its tag, summary and
 * responses (with their schemas), keyed by operationId. Only the OpenAPI document
 * (functions/documents) and the tests read it, so no other function carries its prose and
 * schemas; a test fails when a route has no entry here or an entry names no route.
 */
export interface ResponseSpec {
  description: string;
  /** JSON bodies: what the body is. */
  json?: z.ZodMiniType;
  /** Other media: `text/html` pages, `text/csv` downloads, `image/svg+xml` drawings. */
  media?: 'text/html' | 'text/csv' | 'image/svg+xml';
  headers?: Record<string, string>;
  /** A JSON answer also given in these media (`format=csv`, `format=html`). */
  alsoAs?: readonly ('text/csv' | 'text/html')[];
}

export interface RouteDoc {
  tag: string;
  summary: string;
  responses: Record<number, ResponseSpec>;
}

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
  503: error('A service it depends on was busy or down: try again (Retry-After)'),
};
const notFound = { 404: error('Not found (also: another tenant’s, or an id that cannot exist)') };
const conflict = { 409: error('Not allowed in the current status: the message says why') };

/** What a staff action on a request answers. */
const requestActionResponses: Record<number, ResponseSpec> = {
  200: { description: 'The request as it is now', json: requestView },
  ...apiKeyErrors,
  ...notFound,
  ...conflict,
};

/**
 * What a storefront's delivery is answered: 202 once it is kept in the storefront inbox (its
 * request is made from there, in the order the shop says things happened), or why it is refused
 * for good. Storefronts retry a 5xx (Shopify for hours; WooCommerce not at all, so the inbox
 * takes a delivery even while the table is down).
 */
const webhookResponses: Record<number, ResponseSpec> = {
  202: {
    description: 'Kept: it is made a request (or ignored, or cancels one) from the inbox',
    json: deliveryKeptView,
  },
  400: error('Malformed JSON'),
  401: error('The delivery could not be authenticated (no hint which part failed)'),
  413: error('Larger than a storefront sends'),
  503: error('The delivery could not be kept: send it again'),
};

const conversationView = z.object({ subjectId: z.string(), messages: z.array(messageView) });

/** A subject's conversation (#36), the same for requests and feedback cases. */
const conversationDocs = (what: string) => ({
  get: {
    tag: 'Conversations',
    summary: `The ${what}'s conversation: the customer's emails, our replies and staff notes, oldest first`,
    responses: {
      200: { description: 'The conversation', json: conversationView },
      ...apiKeyErrors,
      ...notFound,
    },
  },
  note: {
    tag: 'Conversations',
    summary: `An internal note on the ${what} (never emailed); each colleague it mentions (@staffId) is emailed a link`,
    responses: { 201: { description: 'The note', json: messageView }, ...apiKeyErrors, ...notFound },
  },
  reply: {
    tag: 'Conversations',
    summary: `A reply to the ${what}'s customer by email, threaded; their answer comes back to the ${what}`,
    responses: {
      201: {
        description: 'The reply, sent (`delivery: sent`) or refused by SES for this address (`rejected`)',
        json: messageView,
      },
      ...apiKeyErrors,
      ...notFound,
      409: error('The customer’s details are not known yet'),
    },
  },
});
const requestConversation = conversationDocs('request');
const feedbackConversation = conversationDocs('feedback case');

export const routeDocs: Record<OperationId, RouteDoc> = {
  getRequestConversation: requestConversation.get,
  addRequestNote: requestConversation.note,
  replyOnRequest: requestConversation.reply,
  getFeedbackConversation: feedbackConversation.get,
  addFeedbackNote: feedbackConversation.note,
  replyOnFeedback: feedbackConversation.reply,
  acceptHeldMail: {
    tag: 'Conversations',
    summary:
      'Staff decided held mail is the customer’s: it joins the conversation it named (or `subjectId`) and is no longer held',
    responses: {
      201: { description: 'The customer’s message', json: z.extend(messageView, { subjectId: z.string() }) },
      ...apiKeyErrors,
      ...notFound,
    },
  },
  dismissHeldMail: {
    tag: 'Conversations',
    summary: 'Held mail no one should answer: gone from the list',
    responses: {
      200: { description: 'Dismissed', json: z.object({ heldId: z.string(), dismissed: z.literal(true) }) },
      ...apiKeyErrors,
      ...notFound,
    },
  },
  listHeldMail: {
    tag: 'Conversations',
    summary:
      'Inbound email held for a person to look at: from an address the subject does not know, unauthenticated, automated',
    responses: {
      200: { description: 'Held email, newest first', json: z.object({ items: z.array(heldMailView) }) },
      ...apiKeyErrors,
    },
  },
  createRequest: {
    tag: 'Service requests',
    summary: 'Enter a service request (staff: phone call, counter visit); Idempotency-Key makes a retry safe',
    responses: {
      201: { description: 'The request, stored and watched', json: requestView },
      ...apiKeyErrors,
    },
  },
  listRequests: {
    tag: 'Service requests',
    summary:
      'Requests by status (open ones by default): open ones soonest deadline first (the promise each waits on), closed and cancelled newest first; filtered by kind, channel, assignee (or none), breached, due before, words',
    responses: { 200: { description: 'A page of requests', json: requestListView }, ...apiKeyErrors },
  },
  assignRequest: {
    tag: 'Service requests',
    summary:
      'Give an open request to a colleague who can do it (a technician needs the skill its kind needs); taking it from the colleague who holds it needs a reason. The colleague is emailed a link',
    responses: {
      200: { description: 'The request', json: requestView },
      ...apiKeyErrors,
      ...notFound,
      ...conflict,
    },
  },
  getCustomerHistory: {
    tag: 'Service requests',
    summary:
      'Everything of one customer, newest first: their requests (open and ended), feedback cases and periodic surveys',
    responses: {
      200: { description: 'Their history', json: customerHistoryView },
      ...apiKeyErrors,
      ...notFound,
    },
  },
  countWorklist: {
    tag: 'Service requests',
    summary:
      'How many open requests each worklist view holds: by status, breached, due today, unassigned, mine',
    responses: { 200: { description: 'The counts', json: worklistCountsView }, ...apiKeyErrors },
  },
  getRequest: {
    tag: 'Service requests',
    summary: 'A request with its timeline, deadlines, breaches and warranty',
    responses: { 200: { description: 'The request', json: requestView }, ...apiKeyErrors, ...notFound },
  },
  acknowledgeRequest: {
    tag: 'Service requests',
    summary: 'Respond and confirm the need; the customer is told (6.1.2)',
    responses: requestActionResponses,
  },
  takeOverRequest: {
    tag: 'Service requests',
    summary: 'Make an open request the caller’s own (a signed-in staff member): escalations follow them',
    responses: requestActionResponses,
  },
  dispatchRequest: {
    tag: 'Service requests',
    summary: 'Dispatch a qualified technician on-site or remotely (6.1.3, 6.2.1a)',
    responses: requestActionResponses,
  },
  completeRequest: {
    tag: 'Service requests',
    summary: 'Complete and issue the immutable service record (6.1.4)',
    responses: requestActionResponses,
  },
  cancelRequest: {
    tag: 'Service requests',
    summary: 'Cancel the request',
    responses: requestActionResponses,
  },
  enterRequestCustomer: {
    tag: 'Service requests',
    summary: 'Enter or correct the customer’s details (a storefront’s lookup still pending ends here)',
    responses: requestActionResponses,
  },
  answerRequestSurvey: {
    tag: 'Service requests',
    summary: 'A phone interview: staff enter the customer’s survey answers (7.1.2)',
    responses: requestActionResponses,
  },
  receiveShopifyDelivery: {
    tag: 'Storefronts',
    summary:
      'Shopify returns/request, returns/decline, returns/cancel, returns/close (X-Shopify-Hmac-Sha256, X-Shopify-Topic, X-Shopify-Shop-Domain, X-Shopify-Event-Id); one request per return. The mandatory privacy topics (12): customers/data_request makes the export, customers/redact erases the customer and every request of its orders_to_redact, shop/redact erases the shop’s customers on the next daily run',
    responses: webhookResponses,
  },
  receiveWoocommerceDelivery: {
    tag: 'Storefronts',
    summary:
      'WooCommerce order.updated (X-WC-Webhook-Signature); one request per order entering an after-sales status, withdrawn when it moves to a withdrawing status; the unsigned ping (webhook_id=N) is answered 200 where WooCommerce is connected',
    responses: {
      ...webhookResponses,
      200: { description: 'The ping WooCommerce sends when a webhook is saved', json: pingView },
      404: error('WooCommerce is not connected for this tenant (the ping of a mistyped URL)'),
    },
  },
  receiveGenericDelivery: {
    tag: 'Storefronts',
    summary:
      'Any storefront or form: Idempotency-Key, and X-Signature: t=<unix>,v2=<hex HMAC-SHA256 of "<t>.<Idempotency-Key>.<body>"> (v1, over "<t>.<body>", still accepted)',
    responses: {
      ...webhookResponses,
      422: error('The delivery cannot be a service request (or has no Idempotency-Key): `fields` says why'),
    },
  },
  createFeedback: {
    tag: 'Feedback',
    summary: 'Enter feedback to handle within the working-day deadline (7.2.1)',
    responses: { 201: { description: 'The feedback case', json: feedbackView }, ...apiKeyErrors },
  },
  listFeedback: {
    tag: 'Feedback',
    summary: 'Feedback cases in a status (open by default), soonest due first: the worklist',
    responses: { 200: { description: 'A page of cases', json: feedbackListView }, ...apiKeyErrors },
  },
  getFeedback: {
    tag: 'Feedback',
    summary: 'A feedback case with its deadline, timeline and breaches',
    responses: { 200: { description: 'The case', json: feedbackView }, ...apiKeyErrors, ...notFound },
  },
  resolveFeedback: {
    tag: 'Feedback',
    summary: 'Resolve: the result is emailed to the customer (7.2.1, 7.2.2)',
    responses: {
      200: { description: 'The case, resolved', json: feedbackView },
      ...apiKeyErrors,
      ...notFound,
      ...conflict,
    },
  },
  listPeriodicSurveys: {
    tag: 'Surveys',
    summary: 'Periodic surveys sent in a range of days (7.1.1); answered=false lists whom to phone',
    responses: { 200: { description: 'A page of surveys', json: periodicSurveyListView }, ...apiKeyErrors },
  },
  answerPeriodicSurvey: {
    tag: 'Surveys',
    summary: 'A phone interview: a periodic survey answered for the customer (7.1.2)',
    responses: {
      200: { description: 'The survey, answered', json: periodicSurveyView },
      ...apiKeyErrors,
      ...notFound,
      ...conflict,
    },
  },
  satisfactionReport: {
    tag: 'Reports',
    summary:
      'Satisfaction over time and per kind, response rate, feedback on time or late, what feedback changed',
    responses: {
      200: {
        description:
          'The report (format=json), or one of its tables as a CSV download (format=csv: text/csv; table=rows or promises)',
        json: satisfactionReportView,
        alsoAs: ['text/csv'],
      },
      ...apiKeyErrors,
    },
  },
  setPaymentSchedule: {
    tag: 'Contracts',
    summary: 'The contract’s payment schedule (10.1.2): its installments, replaced whole',
    responses: {
      200: { description: 'The schedule as stored', json: paymentScheduleView },
      ...apiKeyErrors,
      ...notFound,
    },
  },
  recordPayment: {
    tag: 'Contracts',
    summary: 'A payment received from the customer; the same reference recorded again changes nothing',
    responses: {
      201: { description: 'Recorded', json: paymentView },
      200: { description: 'Already recorded, as it was', json: paymentView },
      ...apiKeyErrors,
      ...notFound,
      409: error('Another payment was recorded under this reference'),
    },
  },
  contractStatement: {
    tag: 'Reports',
    summary:
      'What the customer may claim (10.1.1, 10.1.2): every breach with its evidence and the damages, by the version in force at receipt, and payments with their late fees; format=csv for a spreadsheet, format=html to print (Chinese, 14.2)',
    responses: {
      200: {
        description: 'The statement (final once its period is over by a day: it never changes after), or CSV',
        json: statementView,
        alsoAs: ['text/csv', 'text/html'],
      },
      ...apiKeyErrors,
      ...notFound,
    },
  },
  createApiKey: {
    tag: 'Administration',
    summary: 'Create an API key (its secret is shown this once)',
    responses: { 201: { description: 'The key, with its secret', json: newApiKeyView }, ...apiKeyErrors },
  },
  listApiKeys: {
    tag: 'Administration',
    summary: 'API keys (never their secrets)',
    responses: { 200: { description: 'A page of keys', json: apiKeyListView }, ...apiKeyErrors },
  },
  revokeApiKey: {
    tag: 'Administration',
    summary: 'Revoke an API key',
    responses: { 200: { description: 'Revoked', json: revokedApiKeyView }, ...apiKeyErrors, ...notFound },
  },
  listAccessTrail: {
    tag: 'Administration',
    summary:
      'Who was shown customers’ personal data (12): every such answer to staff, a UTC day at a time; ids only, no personal data',
    responses: {
      200: { description: 'A page of the day’s entries, oldest first', json: accessTrailView },
      ...apiKeyErrors,
    },
  },
  getMe: {
    tag: 'Administration',
    summary: 'Who is calling: role, language, the tenant’s time zone, and colleagues’ names and skills',
    responses: { 200: { description: 'The caller and their tenant', json: meView }, ...apiKeyErrors },
  },
  inviteStaff: {
    tag: 'Administration',
    summary:
      'Add a staff member and email them an invitation: they sign in with a temporary password and choose their own',
    responses: {
      201: { description: 'On the staff list, invited', json: staffMemberView },
      ...apiKeyErrors,
      409: error('A staff member with this id or email exists already'),
    },
  },
  reinviteStaff: {
    tag: 'Administration',
    summary: 'Send the invitation again, with a new temporary password',
    responses: {
      200: { description: 'Invited again', json: staffMemberView },
      ...apiKeyErrors,
      ...notFound,
      409: error('The staff member is disabled'),
    },
  },
  disableStaff: {
    tag: 'Administration',
    summary: 'Disable a staff member: they cannot sign in, and a token they hold is refused at once',
    responses: {
      200: { description: 'Disabled', json: staffMemberView },
      ...apiKeyErrors,
      ...notFound,
      409: error('You cannot disable yourself'),
    },
  },
  enableStaff: {
    tag: 'Administration',
    summary: 'Let a disabled staff member sign in again',
    responses: { 200: { description: 'Enabled', json: staffMemberView }, ...apiKeyErrors, ...notFound },
  },
  exportCustomerData: {
    tag: 'Personal data',
    summary:
      'Everything held about one customer (12, a data subject’s access request): requests, feedback cases, surveys with their timelines, schedules, suppressions; on the access trail',
    responses: { 200: { description: 'The export', json: customerDataView }, ...apiKeyErrors },
  },
  eraseCustomerData: {
    tag: 'Personal data',
    summary:
      'Erase a customer (12): their requests, cases and surveys keep facts and times (breaches and statements stay true) but lose the person; running lifecycles end; on the access trail',
    responses: {
      200: { description: 'What was anonymized (nothing, if nothing was held)', json: erasureView },
      ...apiKeyErrors,
    },
  },
  listDataRequests: {
    tag: 'Personal data',
    summary: 'Data requests storefronts forwarded (Shopify customers/data_request), kept 60 days',
    responses: {
      200: { description: 'A page of data requests', json: dataRequestListView },
      ...apiKeyErrors,
    },
  },
  getDataRequest: {
    tag: 'Personal data',
    summary: 'A data request with the export made when it came, to hand over; on the access trail',
    responses: {
      200: { description: 'The request and its export', json: dataRequestView },
      ...apiKeyErrors,
      ...notFound,
    },
  },
  getSettings: {
    tag: 'Administration',
    summary: 'Tenant settings (storefront secrets are write-only); the ETag is their version',
    responses: {
      200: { description: 'The settings', json: settingsView, headers: { ETag: 'The settings’ version' } },
      ...apiKeyErrors,
    },
  },
  changeSettings: {
    tag: 'Administration',
    summary:
      'Change tenant settings: a JSON merge patch (what is left out is kept, null clears); If-Match with a GET’s ETag',
    responses: {
      200: {
        description: 'The settings now',
        json: settingsView,
        headers: { ETag: 'The settings’ new version' },
      },
      412: error('If-Match names a version that is no longer current: read them again'),
      ...apiKeyErrors,
      ...conflict,
    },
  },
  getSendingDomain: {
    tag: 'Administration',
    summary:
      'The tenant’s own sending domain: its DNS records and whether SES has verified them (asked again)',
    responses: { 200: { description: 'The domain', json: sendingDomainView }, ...apiKeyErrors, ...notFound },
  },
  setSendingDomain: {
    tag: 'Administration',
    summary:
      'Send from the tenant’s own domain: publish the CNAME records returned; mail goes from it once SES has verified them',
    responses: {
      200: { description: 'The domain, pending until its DNS records are found', json: sendingDomainView },
      409: error('The tenant sends from another domain (remove it first), or another tenant added this one'),
      ...apiKeyErrors,
    },
  },
  removeSendingDomain: {
    tag: 'Administration',
    summary: 'Send from the service’s domain again (with the tenant’s name and Reply-To)',
    responses: { 204: { description: 'Removed' }, ...apiKeyErrors, ...notFound },
  },
  getCalendar: {
    tag: 'Administration',
    summary: 'The working calendar day by day: working or not, why, and whether it is an estimate',
    responses: { 200: { description: 'The days', json: calendarView }, ...apiKeyErrors },
  },
  createContract: {
    tag: 'Contracts',
    summary: 'Record a contract (version 1, awaiting both confirmations)',
    responses: { 201: { description: 'The contract', json: contractView }, ...apiKeyErrors, ...conflict },
  },
  getContract: {
    tag: 'Contracts',
    summary: 'A contract with its versions and the one in force',
    responses: { 200: { description: 'The contract', json: contractView }, ...apiKeyErrors, ...notFound },
  },
  proposeContractVersion: {
    tag: 'Contracts',
    summary: 'Propose an amendment (11.1)',
    responses: {
      201: { description: 'The contract with the new version', json: contractView },
      ...apiKeyErrors,
      ...notFound,
      ...conflict,
    },
  },
  confirmContractVersion: {
    tag: 'Contracts',
    summary: 'One party confirms a version in writing',
    responses: {
      200: { description: 'The contract', json: contractView },
      ...apiKeyErrors,
      ...notFound,
      ...conflict,
    },
  },
  terminateContract: {
    tag: 'Contracts',
    summary: 'Terminate by mutual agreement or for breach (9.2)',
    responses: {
      200: { description: 'The contract', json: contractView },
      ...apiKeyErrors,
      ...notFound,
      ...conflict,
    },
  },
  getOpenApiDocument: {
    tag: 'Documents',
    summary: 'This document',
    responses: {
      200: { description: 'OpenAPI 3.1', json: openApiView },
      422: error('An unknown query parameter'),
    },
  },
  getSurveyForm: {
    tag: 'Documents',
    summary: 'The satisfaction survey form as the contract attaches it (11.2): printable, Chinese first',
    responses: { 200: html('The printable form'), ...apiKeyErrors, ...notFound },
  },
  getServiceFlowChart: {
    tag: 'Documents',
    summary: 'The service flow chart (11.2), drawn with the contract version’s figures, printable',
    responses: { 200: html('The printable page'), ...apiKeyErrors, ...notFound },
  },
  getServiceFlowChartSvg: {
    tag: 'Documents',
    summary: 'The same chart as an SVG image alone (for an email, a document)',
    responses: { 200: { description: 'The chart', media: 'image/svg+xml' }, ...apiKeyErrors, ...notFound },
  },
  getWorkflowDiagrams: {
    tag: 'Documents',
    summary: 'For operators: the deployed state machines, drawn from their definitions',
    responses: { 200: html('The diagrams'), ...apiKeyErrors },
  },
  getServiceRecordDocument: {
    tag: 'Documents',
    summary: 'The service record of a completed request (6.1.4), printable for signature',
    responses: { 200: html('The printable record'), ...apiKeyErrors, ...notFound },
  },
  showSurvey: {
    tag: 'Pages from emails',
    summary: 'The customer’s survey page (signed link from the service-record email)',
    responses: {
      200: html('The form'),
      404: html('A link that is not valid'),
      409: html('Already answered'),
      410: html('The invitation has expired'),
    },
  },
  answerSurvey: {
    tag: 'Pages from emails',
    summary: 'Submit the survey, once per invitation',
    responses: {
      200: html('Thank you'),
      404: html('A link that is not valid'),
      409: html('Already answered'),
      410: html('The invitation has expired'),
      422: html('The form again, with what is missing marked'),
      503: html('Not saved for now: submit again (it will not be counted twice)'),
    },
  },
  showAction: {
    tag: 'Pages from emails',
    summary: 'A signed action link from an escalation email: shows what it will do',
    responses: {
      200: html('What the link does, and a button'),
      404: html('Not valid'),
      410: html('Done with'),
    },
  },
  doAction: {
    tag: 'Pages from emails',
    summary: 'A signed action link: acknowledge or take over without logging in',
    responses: {
      200: html('Done'),
      403: html('Not on the staff list'),
      404: html('Not valid'),
      409: html('Already done, or taken over by someone else'),
      410: html('Done with'),
    },
  },
};

/** A path with a malformed percent-encoding is refused before any route: 400, on every route with parameters. */
const malformedPath = error('The path has a malformed percent-encoding');

/** The documentation of a route, with the 400 every route with path parameters can answer. */
export function routeDocOf(route: Pick<RouteSpec, 'operationId' | 'params'>): RouteDoc {
  const doc = routeDocs[route.operationId as OperationId] as RouteDoc | undefined;
  if (!doc) throw new Error(`No documentation for ${route.operationId} (functions/route-docs.ts)`);
  return route.params && !doc.responses[400]
    ? { ...doc, responses: { ...doc.responses, 400: malformedPath } }
    : doc;
}
