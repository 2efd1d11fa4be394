import * as z from '#domain/zod.ts';
import { type ResponseSpec, routeDocOf } from '../route-docs.ts';
import { type RouteSpec, routes } from '../routes.ts';

/**
 * The OpenAPI 3.1 document of the HTTP API, made from the route table (functions/routes.ts)
 * and its documentation (functions/route-docs.ts): every operation with its id, tag, summary,
 * security, parameters, body, and each response with its schema, from the same zod schemas the handlers parse with and answer by.
 */
type JsonSchema = Record<string, unknown>;

const asJsonSchema = (schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return json;
};

/** A zod object's properties as OpenAPI parameters of one place (query, header, path). */
function parametersOf(schema: z.ZodMiniType, where: 'query' | 'header'): JsonSchema[] {
  const json = asJsonSchema(schema, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name:
        where === 'header'
          ? name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase())
          : name,
      in: where,
      required: json.required?.includes(name) ?? false,
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

function responseOf(spec: ResponseSpec): JsonSchema {
  const headers = spec.headers
    ? {
        headers: Object.fromEntries(
          Object.entries(spec.headers).map(([name, description]) => [
            name,
            { description, schema: { type: 'string' } },
          ]),
        ),
      }
    : {};
  if (spec.json)
    return {
      description: spec.description,
      ...headers,
      content: {
        'application/json': { schema: asJsonSchema(spec.json, 'output') },
        ...Object.fromEntries((spec.alsoAs ?? []).map((media) => [media, { schema: { type: 'string' } }])),
      },
    };
  if (spec.media)
    return {
      description: spec.description,
      ...headers,
      content: { [spec.media]: { schema: { type: 'string' } } },
    };
  return { description: spec.description, ...headers };
}

const securityOf = (route: RouteSpec) => (route.auth === 'apiKey' ? [{ apiKey: [] }] : []);

function operationOf(route: RouteSpec): JsonSchema {
  const parameters = [
    ...Object.entries(route.params ?? {}).map(([name, schema]) => ({
      name,
      in: 'path',
      required: true,
      schema: asJsonSchema(schema, 'input'),
    })),
    ...(route.query ? parametersOf(route.query, 'query') : []),
    ...(route.headers ? parametersOf(route.headers, 'header') : []),
  ];
  const doc = routeDocOf(route);
  const responses = Object.fromEntries(
    Object.entries(doc.responses).map(([status, spec]) => [status, responseOf(spec)]),
  );
  return {
    operationId: route.operationId,
    tags: [doc.tag],
    summary: doc.summary,
    description:
      route.auth === 'apiKey' ? `Roles: ${route.roles?.join(', ')}.` : authDescriptions[route.auth],
    security: securityOf(route),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: {
              [route.bodyType === 'form' ? 'application/x-www-form-urlencoded' : 'application/json']: {
                schema: asJsonSchema(route.body, 'input'),
              },
            },
          },
        }
      : {}),
    responses,
  };
}

const authDescriptions: Record<Exclude<RouteSpec['auth'], 'apiKey'>, string> = {
  signedLink: 'Authorized by the signed token in the path (an email link); no API key.',
  webhookSignature: 'Authorized by the storefront’s HMAC signature of the raw body; no API key.',
  public: 'Public.',
};

const tagDescriptions: Record<string, string> = {
  'Service requests':
    'Requests for repair, replacement, return, consultation, support, visits and complaints (3.1, 6)',
  Storefronts: 'Signed deliveries from Shopify, WooCommerce and any other storefront (6.1.1)',
  Feedback: 'Feedback handled within the contract’s working days, the result told to the customer (7.2)',
  Conversations:
    'Talking with the customer about a request or a case: replies by email, their answers back, internal notes (6.1.2, 7.2.1)',
  Surveys: 'Periodic satisfaction surveys and phone interviews (7.1)',
  Reports: 'Satisfaction over time and what feedback changed (7.2.2)',
  Administration: 'API keys, settings and the working calendar of a tenant',
  Contracts: 'Contracts, amendments confirmed by both parties, termination (9, 11.1)',
  Documents: 'This description and the contract’s attachments (11.2)',
  'Pages from emails':
    'Pages opened from links in emails: the customer’s survey, a manager’s one-click actions',
};

/** The server URL the stored document is built with; replaced by the stage's when served. */
export const OPENAPI_SERVER_PLACEHOLDER = 'https://api.example.com';

/** The OpenAPI 3.1 document of every route in functions/routes.ts. */
export function openApiDocument(serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operationOf(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'After-sales service API',
      version: '1.0.0',
      description:
        'Service requests, storefront intake, feedback, surveys, reports and tenant administration. Errors have the shape {"error": {"code", "message", "fields"?}}; API Gateway’s own 401/403 are {"message"}.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      contact: { name: 'After-sales service maintainers' },
    },
    servers: [{ url: serverUrl }],
    tags: [...new Set(routes.map((route) => routeDocOf(route).tag))].map((name) => ({
      name,
      description: tagDescriptions[name] ?? name,
    })),
    paths,
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A tenant API key, `ak_<tenant>_<keyId>_<secret>`, sent as `Authorization: Bearer <key>`',
        },
      },
    },
  };
}
