import { type ZodType, z } from 'zod';
import { newFeedbackSchema, resolutionSchema } from '../../domain/feedback-case.ts';
import { completionReportSchema } from '../../domain/service-record.ts';
import { newServiceRequestSchema } from '../../domain/service-request.ts';
import { surveyAnswerSchema } from '../../domain/survey.ts';
import { routeKey, routes } from '../routes.ts';
import {
  calendarQuery,
  cancelSchema,
  dispatchSchema,
  feedbackListQuery,
  periodicSurveyListQuery,
  requestListQuery,
  satisfactionReportQuery,
} from '../shared/api-schemas.ts';
import {
  confirmVersionSchema,
  createApiKeySchema,
  createContractSchema,
  proposeVersionSchema,
  settingsPatchSchema,
  terminateContractSchema,
} from '../tenant-api/schemas.ts';
import { genericDeliverySchema } from '../webhooks/mappings.ts';

/** What the document says of each route; the bodies are the zod schemas the handlers parse. */
interface RouteDoc {
  summary: string;
  body?: ZodType;
  query?: ZodType;
  success: number;
}

const docs: Record<string, RouteDoc> = {
  'POST /v1/requests': {
    summary: 'Enter a service request (staff: phone call, counter visit)',
    body: newServiceRequestSchema,
    success: 201,
  },
  'GET /v1/requests': {
    summary: 'List requests by status (open ones by default), oldest first',
    query: requestListQuery,
    success: 200,
  },
  'GET /v1/requests/{requestId}': {
    summary: 'A request with its timeline, deadlines, breaches and warranty',
    success: 200,
  },
  'POST /v1/requests/{requestId}/acknowledge': {
    summary: 'Respond and confirm the need (clause 6.1.2)',
    success: 200,
  },
  'POST /v1/requests/{requestId}/dispatch': {
    summary: 'Dispatch a qualified technician on-site or remotely (6.1.3, 6.2.1a)',
    body: dispatchSchema,
    success: 200,
  },
  'POST /v1/requests/{requestId}/complete': {
    summary: 'Complete and issue the immutable service record (6.1.4)',
    body: completionReportSchema,
    success: 200,
  },
  'POST /v1/requests/{requestId}/cancel': {
    summary: 'Cancel the request',
    body: cancelSchema,
    success: 200,
  },
  'POST /v1/webhooks/{tenantId}/shopify': {
    summary: 'Shopify webhook (X-Shopify-Hmac-Sha256, X-Shopify-Webhook-Id)',
    success: 201,
  },
  'POST /v1/webhooks/{tenantId}/woocommerce': {
    summary: 'WooCommerce webhook (X-WC-Webhook-Signature, X-WC-Webhook-Delivery-ID)',
    success: 201,
  },
  'POST /v1/webhooks/{tenantId}/generic': {
    summary:
      'Any storefront or form: X-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">, Idempotency-Key',
    body: genericDeliverySchema,
    success: 201,
  },
  'POST /v1/feedback': {
    summary: 'Enter feedback to handle within the working-day deadline (7.2.1)',
    body: newFeedbackSchema,
    success: 201,
  },
  'GET /v1/feedback': {
    summary: 'Feedback cases in a status (open by default), soonest due first: the worklist',
    query: feedbackListQuery,
    success: 200,
  },
  'GET /v1/feedback/{feedbackId}': {
    summary: 'A feedback case with its deadline, timeline and breaches',
    success: 200,
  },
  'POST /v1/feedback/{feedbackId}/resolve': {
    summary: 'Resolve: the result is emailed to the customer (7.2.1, 7.2.2)',
    body: resolutionSchema,
    success: 200,
  },
  'GET /v1/surveys': {
    summary: 'Periodic surveys sent in a range of days (7.1.1); answered=false lists whom to phone',
    query: periodicSurveyListQuery,
    success: 200,
  },
  'POST /v1/surveys/{surveyId}/answer': {
    summary: 'A phone interview: the periodic survey answered for the customer (7.1.2)',
    body: surveyAnswerSchema,
    success: 200,
  },
  'GET /v1/reports/satisfaction': {
    summary:
      'Satisfaction over time and per kind, response rate, feedback on time or late, what feedback changed (7.2.2)',
    query: satisfactionReportQuery,
    success: 200,
  },
  'POST /v1/api-keys': { summary: 'Create an API key (shown once)', body: createApiKeySchema, success: 201 },
  'GET /v1/api-keys': { summary: 'List API keys (never their secrets)', success: 200 },
  'DELETE /v1/api-keys/{keyId}': { summary: 'Revoke an API key', success: 200 },
  'GET /v1/settings': { summary: 'Tenant settings (storefront secrets are write-only)', success: 200 },
  'PUT /v1/settings': {
    summary:
      'Change tenant settings (a JSON merge patch: what is left out is kept, null clears; If-Match with the ETag of a GET, 412 if they changed since)',
    body: settingsPatchSchema,
    success: 200,
  },
  'GET /v1/calendar': {
    summary:
      'The working calendar day by day: working or not, why, and whether it rests on an unpublished holiday arrangement',
    query: calendarQuery,
    success: 200,
  },
  'POST /v1/contracts': {
    summary: 'Record a contract (version 1, awaiting both confirmations)',
    body: createContractSchema,
    success: 201,
  },
  'GET /v1/contracts/{contractId}': {
    summary: 'A contract with its versions and the one in force',
    success: 200,
  },
  'POST /v1/contracts/{contractId}/versions': {
    summary: 'Propose an amendment (clause 11.1)',
    body: proposeVersionSchema,
    success: 201,
  },
  'POST /v1/contracts/{contractId}/versions/{version}/confirm': {
    summary: 'One party confirms a version in writing',
    body: confirmVersionSchema,
    success: 200,
  },
  'POST /v1/contracts/{contractId}/terminate': {
    summary: 'Terminate by mutual agreement or for breach (9.2)',
    body: terminateContractSchema,
    success: 200,
  },
  'GET /v1/openapi.json': { summary: 'This document', success: 200 },
  'POST /v1/requests/{requestId}/survey': {
    summary: 'Phone interview: staff enter the survey answers for the customer (7.1.2)',
    body: surveyAnswerSchema,
    success: 200,
  },
  'GET /v1/attachments/survey-form': {
    summary: 'The printable satisfaction survey form (contract attachment, 11.2)',
    query: z.object({ lang: z.enum(['zh-CN', 'en']).optional() }),
    success: 200,
  },
  'GET /v1/attachments/service-flow-chart': {
    summary: 'The service flow chart, from the deployed workflow definitions (11.2)',
    success: 200,
  },
  'GET /s/{token}': {
    summary: 'The customer survey page (signed link from the service-record email)',
    success: 200,
  },
  'POST /s/{token}': { summary: 'Submit the survey (form-encoded), once per invitation', success: 200 },
  'GET /a/{token}': {
    summary: 'A signed action link from an escalation email: shows what it does',
    success: 200,
  },
  'POST /a/{token}': {
    summary: 'A signed action link: acknowledge or take over without logging in',
    success: 200,
  },
};

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        fields: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
      },
    },
  },
};

/** The OpenAPI 3.1 document of every route in functions/routes.ts, bodies from their zod schemas. */
export function openApiDocument(serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const doc = docs[routeKey(route)];
    if (!doc) throw new Error(`No OpenAPI description for ${routeKey(route)}`);
    const parameters = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (doc.query) {
      const schema = z.toJSONSchema(doc.query, { io: 'input' }) as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        parameters.push({
          name,
          in: 'query',
          required: schema.required?.includes(name) ?? false,
          schema: property as { type: string },
        });
      }
    }
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      summary: doc.summary,
      ...(route.auth === 'apiKey' ? { security: [{ apiKey: [] }] } : { security: [] }),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(doc.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: z.toJSONSchema(doc.body, { io: 'input', unrepresentable: 'any' }),
                },
              },
            },
          }
        : {}),
      responses: {
        [doc.success]: { description: 'Success' },
        '4XX': {
          description: 'What was wrong with the request',
          content: { 'application/json': { schema: errorSchema } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'After-sales service API',
      version: '1.0.0',
      description: 'Service requests, storefront intake and tenant administration.',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'ak_<tenant>_<keyId>_<secret>' },
      },
    },
    paths,
  };
}
