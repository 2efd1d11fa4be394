import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type * as z from '#domain/zod.ts';
import { recordAccess, subjectsShown } from '../adapters/access-trail.ts';
import { now } from '../adapters/clock.ts';
import { type AnswerSealer, findAnswer, keepAnswer } from '../adapters/idempotency.ts';
import type { FunctionName } from '../catalog.ts';
import { noQuery } from '../shared/api-schemas.ts';
import { actorOf, tenantOf } from '../shared/caller.ts';
import { digestOf } from '../shared/digests.ts';
import { DependencyUnavailableError, DomainError, NotFoundError } from '../shared/errors.ts';
import {
  type Caller,
  callerOf,
  type HttpEvent,
  type HttpResult,
  html,
  httpErrors,
  parseHeaders,
  parseJsonBody,
  parseQuery,
} from '../shared/http.ts';
import { logger } from '../shared/logger.ts';
import { type RouteSpec, routeKey } from './route-spec.ts';

/** The parsed type of one of a route's schemas (`body`, `query`, `headers`), undefined without one. */
type Parsed<R, Part extends 'body' | 'query' | 'headers'> = R extends { readonly [P in Part]: infer S }
  ? S extends z.ZodMiniType
    ? z.output<S>
    : undefined
  : undefined;

/**
 * What an operation receives: everything its route declares, already checked and typed from the
 * route itself. For an API-key route the caller holds one of the roles allowed; path parameters
 * have their declared form; the query, the headers and a JSON body are parsed by the route's
 * schemas (a form body is handed over as posted: its page shows the form again with what is
 * missing marked).
 */
export interface RouteContext<R extends RouteSpec = RouteSpec> {
  event: HttpEvent;
  route: R;
  /** The key's holder on an `apiKey` route (the router refuses the call otherwise); none on others. */
  caller: R extends { auth: 'apiKey' } ? Caller : undefined;
  params: R extends { readonly params: infer P }
    ? { readonly [K in keyof P]: string }
    : Record<string, never>;
  body: Parsed<R, 'body'>;
  query: Parsed<R, 'query'>;
  headers: Parsed<R, 'headers'>;
  /** For `form` bodies: the fields as posted. */
  form: Record<string, string>;
  /**
   * For `idempotent` routes, the caller's `Idempotency-Key`: an operation that names what it
   * creates derives the name from it (`derivedId`), so a first call cut short and its retry make one.
   */
  idempotencyKey?: string;
}

/** A function's operations, one for each route of its table, each given its own route's context. */
export type Operations<Routes extends readonly RouteSpec[]> = {
  [R in Routes[number] as R['operationId']]: (context: RouteContext<R>) => Promise<HttpResult>;
};

/**
 * Inside the router every operation is one shape, its context as the router builds it from
 * whichever route was called; `Operations` is what makes each one's types its own route's.
 */
interface BuiltContext {
  event: HttpEvent;
  route: RouteSpec;
  caller: Caller | undefined;
  params: Record<string, string>;
  body: unknown;
  query: unknown;
  headers: unknown;
  form: Record<string, string>;
  idempotencyKey?: string;
}
type BuiltOperation = (context: BuiltContext) => Promise<HttpResult>;

/** The ids of a function's operations. */
export type OperationId<Routes extends readonly RouteSpec[]> = Routes[number]['operationId'];

/** The context of the operation `Id` of a function's route table. */
export type ContextOf<
  Routes extends readonly RouteSpec[],
  Id extends Routes[number]['operationId'],
> = RouteContext<Extract<Routes[number], { operationId: Id }>>;

/**
 * Security headers on every answer: JSON is never sniffed as something else; a page runs no
 * script, loads nothing from elsewhere, cannot be framed, and never sends its URL (a signed
 * token) on as a referrer.
 */
const PAGE_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export function securityHeaders(): MiddlewareObj<HttpEvent, HttpResult> {
  const add = (request: { response?: HttpResult | null }) => {
    const response = request.response;
    if (!response || typeof response !== 'object') return;
    const type = String(response.headers?.['content-type'] ?? '');
    response.headers = {
      ...response.headers,
      'x-content-type-options': 'nosniff',
      ...(type.startsWith('text/html') || type.startsWith('image/svg+xml')
        ? { 'content-security-policy': PAGE_POLICY, 'referrer-policy': 'no-referrer' }
        : {}),
    };
  };
  return { after: add, onError: add };
}

/** A page route's own "not found", in both languages (no tenant is known yet). */
const pageNotFound = () =>
  html(
    404,
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>链接无效 / Link not valid</title></head><body><main><h1>链接无效 / Link not valid</h1><p>此链接无效。 / This link is not valid.</p></main></body></html>',
  );

/** The pages emails link to answer their errors as pages too. */
const servesPages = (route: RouteSpec) => route.auth === 'signedLink';

function formFields(event: HttpEvent): Record<string, string> {
  if (!event.body) return {};
  const raw = Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8').toString('utf8');
  return Object.fromEntries(new URLSearchParams(raw));
}

/**
 * The one way a function serves its routes: its route table (`functions/<function>/routes.ts`)
 * says what each operation takes and who may call it, and this enforces it before the operation
 * runs. Every route must be the function's and have its operation, and no operation may serve a
 * route it does not have.
 */
export function serveRoutes<const Routes extends readonly RouteSpec[]>(
  fn: FunctionName,
  served: Routes,
  operations: Operations<Routes>,
  options: { answerSealer?: AnswerSealer } = {},
) {
  const foreign = served.filter((route) => route.function !== fn).map((r) => r.operationId);
  const missing = served
    .filter((route) => !(operations as Record<string, unknown>)[route.operationId])
    .map((r) => r.operationId);
  const stray = Object.keys(operations).filter((id) => !served.some((route) => route.operationId === id));
  if (foreign.length > 0 || missing.length > 0 || stray.length > 0)
    throw new Error(
      `${fn}: operations missing ${missing.join(', ') || '-'}; not routed ${stray.join(', ') || '-'}; another function's ${foreign.join(', ') || '-'}`,
    );
  const byKey = new Map(served.map((route) => [routeKey(route), route as RouteSpec]));
  // The one erasure: each operation was typed against its own route above.
  const byId = operations as unknown as Record<string, BuiltOperation>;

  return middy<HttpEvent, HttpResult>()
    .use(injectLambdaContext(logger))
    .use(securityHeaders())
    .use(httpErrors())
    .handler((event, context) => beforeTheDeadline(context, () => serve(event)));

  async function serve(event: HttpEvent): Promise<HttpResult> {
    const route = byKey.get(event.routeKey);
    if (!route) throw new NotFoundError(`route ${event.routeKey}`);

    let caller: Caller | undefined;
    if (route.auth === 'apiKey') {
      caller = callerOf(event);
      if (!route.roles.includes(caller.role))
        throw new DomainError(
          403,
          'Forbidden',
          `A ${caller.role} may not do this: it needs one of the roles ${route.roles.join(', ')}`,
        );
      await tenantOf(caller);
    }
    const params: Record<string, string> = {};
    for (const [name, schema] of Object.entries(route.params ?? {})) {
      const value = event.pathParameters?.[name] ?? '';
      if (!schema.safeParse(value).success) {
        if (servesPages(route)) return pageNotFound();
        // A storefront delivery says nothing of why it failed: which tenant exists is a hint.
        if (route.auth === 'webhookSignature')
          throw new DomainError(401, 'Unauthorized', 'The delivery could not be authenticated');
        throw new NotFoundError(`${name} ${value.slice(0, 100)}`);
      }
      params[name] = value;
    }
    const context: BuiltContext = {
      event,
      route,
      caller,
      params,
      // An API-key route that takes no query takes none: an unknown parameter is a mistake to say.
      query: route.query
        ? parseQuery(event, route.query)
        : route.auth === 'apiKey'
          ? parseQuery(event, noQuery)
          : undefined,
      headers: route.headers ? parseHeaders(event, route.headers) : undefined,
      // A storefront's body is read only once its signature over the raw bytes is checked: the
      // function does both, so nothing is said about a body before it is authenticated.
      body:
        route.body && route.bodyType !== 'form' && route.auth !== 'webhookSignature'
          ? parseJsonBody(event, route.body)
          : undefined,
      form: route.bodyType === 'form' ? formFields(event) : {},
    };
    const operation = byId[route.operationId]!;
    const result = route.idempotent
      ? await answeredOnce(route, context, operation, options.answerSealer)
      : await operation(context);
    // Clause 12: an answer that shows a customer's personal data is on the access trail before
    // it leaves (if the trail cannot be written, nothing is shown).
    if (route.personalData && caller && (result.statusCode ?? 200) < 300) {
      const json = String(result.headers?.['content-type'] ?? '').startsWith('application/json');
      const body = json && result.body ? JSON.parse(result.body) : undefined;
      await recordAccess(caller.tenantId, {
        actor: actorOf(caller),
        role: caller.role,
        operation: route.operationId,
        subjects: subjectsShown(body, params),
      });
    }
    return result;
  }
}

/**
 * A create route called with an `Idempotency-Key` answers once: a retry (after a timeout, a 5xx,
 * a double click) is answered what the first call answered, marked `Idempotent-Replayed`, and
 * the same key with another body is refused. The answer is kept only once the operation has
 * succeeded; a first call cut short is run again, and makes the same object (the operation
 * derives its name from the key, or the object is named by the caller).
 */
async function answeredOnce(
  route: RouteSpec,
  context: BuiltContext,
  operation: BuiltOperation,
  answerSealer: AnswerSealer | undefined,
): Promise<HttpResult> {
  const sealer = route.idempotent === 'sealed' ? answerSealer : undefined;
  if (route.idempotent === 'sealed' && !sealer)
    throw new Error(`${route.operationId} keeps its answers sealed: its function must give the sealer`);
  const key = (context.headers as { 'idempotency-key'?: string } | undefined)?.['idempotency-key'];
  if (key === undefined) return operation(context);
  // Only API-key routes are idempotent (functions/http/route-spec.ts): a caller is there.
  const { tenantId } = context.caller!;
  const digest = digestOf(context.body ?? null);
  const kept = await findAnswer(tenantId, route.operationId, key, sealer);
  if (kept && kept.digest !== digest)
    throw new DomainError(
      422,
      'IdempotencyKeyReused',
      'This Idempotency-Key was already used with a different body: use a new key for a new request',
      { 'Idempotency-Key': ['already used with a different body'] },
    );
  if (kept)
    return {
      statusCode: kept.statusCode,
      headers: { 'content-type': kept.contentType, 'idempotent-replayed': 'true' },
      body: kept.body,
    };
  const result = await operation({ ...context, idempotencyKey: key });
  const statusCode = result.statusCode ?? 200;
  if (statusCode >= 200 && statusCode < 300)
    await keepAnswer(
      tenantId,
      route.operationId,
      key,
      {
        digest,
        statusCode,
        contentType: String(result.headers?.['content-type'] ?? 'application/json'),
        body: String(result.body ?? ''),
      },
      now(),
      sealer,
    );
  return result;
}

/**
 * A request whose dependencies keep it past its function's time (a hung DynamoDB: the SDK's
 * attempts and their timeouts add up) answers 503 with Retry-After a second before Lambda would
 * end it, which API Gateway would answer as a bare 500. Every change a route makes is idempotent
 * (a retry with the same Idempotency-Key, the same action by the same person), so "try again" is
 * the truth whether or not the write landed.
 */
function beforeTheDeadline(
  context: { getRemainingTimeInMillis?: () => number },
  work: () => Promise<HttpResult>,
) {
  const remaining = context.getRemainingTimeInMillis?.();
  if (remaining === undefined) return work();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DependencyUnavailableError(5)), Math.max(0, remaining - 1000));
  });
  return Promise.race([work(), deadline]).finally(() => clearTimeout(timer));
}
