import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from '#domain/zod.ts';
import { DependencyUnavailableError, DomainError, isTransientAwsError, ValidationError } from './errors.ts';

export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { lambda?: Record<string, string> };
  };
};
export type HttpResult = APIGatewayProxyStructuredResultV2;

export function json(statusCode: number, body: unknown): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  };
}

/** A CSV file to download (200), named `filename`. */
export function csvDownload(filename: string, body: string): HttpResult {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
    },
    body,
  };
}

export function html(statusCode: number, body: string): HttpResult {
  return {
    statusCode,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-frame-options': 'DENY',
    },
    body,
  };
}

/** The one error shape of the API: `{ "error": { "code", "message", "fields"? } }`. */
export function errorBody(code: string, message: string, fields?: Record<string, string[]>) {
  return { error: { code, message, ...(fields ? { fields } : {}) } };
}

export function zodFields(error: z.core.$ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = Object.create(null);
  const add = (path: string, message: string) => {
    // Own properties only: a field named `valueOf` or `__proto__` is a field like any other.
    fields[path] = [...(Object.hasOwn(fields, path) ? fields[path]! : []), message];
  };
  for (const issue of error.issues) {
    const path = issue.path.join('.');
    // An unknown field is named itself, as any other field with something wrong.
    if (issue.code === 'unrecognized_keys')
      for (const key of issue.keys) add(path ? `${path}.${key}` : key, 'not a field here');
    else add(path || '(body)', issue.message);
  }
  return fields;
}

/** Parses a JSON body against a schema: malformed JSON is a 400, a wrong shape a 422 with the fields. */
export function parseJsonBody<T extends z.ZodMiniType>(event: HttpEvent, schema: T): z.infer<T> {
  let raw: unknown = {};
  if (event.body) {
    const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new DomainError(400, 'MalformedJson', 'The request body is not valid JSON');
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ValidationError('The request body is invalid', zodFields(parsed.error));
  return parsed.data;
}

/** Headers a route reads, by their lower-case names (API Gateway lower-cases them). */
export function parseHeaders<T extends z.ZodMiniType>(event: HttpEvent, schema: T): z.infer<T> {
  const parsed = schema.safeParse(event.headers ?? {});
  if (!parsed.success) throw new ValidationError('A header is invalid', zodFields(parsed.error));
  return parsed.data;
}

export function parseQuery<T extends z.ZodMiniType>(event: HttpEvent, schema: T): z.infer<T> {
  const parsed = schema.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success) throw new ValidationError('The query string is invalid', zodFields(parsed.error));
  return parsed.data;
}

/** 503 in our shape: a service this depends on was busy or down; a retry after that long may succeed. */
function unavailable(retryAfterSeconds: number): HttpResult {
  const busy = json(
    503,
    errorBody('ServiceUnavailable', 'A service this depends on is busy or down: try again'),
  );
  return { ...busy, headers: { ...busy.headers, 'retry-after': String(retryAfterSeconds) } };
}

/** Maps named errors to their status and shape; anything else is a logged, generic 500. */
export function httpErrors(): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    onError: async (request) => {
      const error = request.error;
      if (error instanceof DependencyUnavailableError) {
        request.response = unavailable(error.retryAfterSeconds);
        return;
      }
      if (error instanceof DomainError) {
        request.response = json(error.status, errorBody(error.code, error.message, error.fields));
        return;
      }
      // A service we depend on was busy or down past the SDK's own retries: a retry may succeed.
      if (isTransientAwsError(error)) {
        console.error(
          JSON.stringify({ level: 'WARN', message: 'dependency unavailable', error: String(error) }),
        );
        request.response = unavailable(5);
        return;
      }
      console.error(
        JSON.stringify({
          level: 'ERROR',
          message: 'unhandled error',
          error: String(error),
          stack: (error as Error)?.stack,
        }),
      );
      request.response = json(500, errorBody('InternalError', 'Something went wrong on our side'));
    },
  };
}

/**
 * How long API Gateway keeps the API-key authorizer's decision for one Authorization header: a
 * revoked key or a suspended tenant stops working within this (the handlers check a suspended
 * tenant at once). The local HTTP API keeps decisions as long.
 */
export const API_KEY_DECISION_CACHE_SECONDS = 30;

/** A decision made while the table was down is kept as long: a retry after that is checked afresh. */
const AUTHORIZER_RETRY_AFTER_SECONDS = API_KEY_DECISION_CACHE_SECONDS;

/** Who is calling, as the API key authorizer established it. */
export interface Caller {
  tenantId: string;
  role: 'agent' | 'manager' | 'admin';
  keyId: string;
  staffId?: string;
}

export function callerOf(event: HttpEvent): Caller {
  const context = event.requestContext.authorizer?.lambda;
  // The authorizer could not check the key (DynamoDB down): nothing is done for this caller.
  if (context?.unavailable) throw new DependencyUnavailableError(AUTHORIZER_RETRY_AFTER_SECONDS);
  if (!context?.tenantId) throw new DomainError(401, 'Unauthorized', 'Missing API key');
  return {
    tenantId: context.tenantId,
    role: context.role as Caller['role'],
    keyId: context.keyId ?? '',
    staffId: context.staffId || undefined,
  };
}
