import * as z from '#domain/zod.ts';
import type { FunctionName } from '../catalog.ts';

/**
 * What a route of the HTTP API declares. Each function declares its own routes next to its
 * handler (`functions/<function>/routes.ts`), so its bundle carries only its own schemas;
 * functions/routes.ts gathers them into the one table the OpenAPI document, API Gateway and the
 * local runtime are made from.
 *
 * Who may do what, with an API key (roles of the key):
 * - agents act on requests, feedback and periodic surveys, and read the calendar and contracts;
 * - managers also resolve feedback, read reports and the settings;
 * - admins also manage API keys, the settings and contracts.
 */
export type Role = 'agent' | 'manager' | 'admin';
export const anyStaff: readonly Role[] = ['agent', 'manager', 'admin'];
export const managers: readonly Role[] = ['manager', 'admin'];
export const admins: readonly Role[] = ['admin'];

/**
 * How a route is authenticated: `apiKey` by the Lambda authorizer (then the roles apply),
 * `signedLink` by the HMAC of the token in its path (emails' links), `webhookSignature` by the
 * storefront's signature (checked by the function), `public` not at all.
 */
export type Authentication = 'apiKey' | 'signedLink' | 'webhookSignature' | 'public';

/** What every route declares, whoever may call it. */
interface RouteFields {
  operationId: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway syntax: `{name}` is a path parameter. */
  path: string;
  function: FunctionName;
  /** Each path parameter's form: a value that cannot name anything is a 404 before any lookup. */
  params?: Readonly<Record<string, z.ZodMiniString>>;
  query?: z.ZodMiniType;
  headers?: z.ZodMiniType;
  /** The body: JSON unless `form` (HTML forms post `application/x-www-form-urlencoded`). */
  body?: z.ZodMiniType;
  bodyType?: 'json' | 'form';
}

/** A route called with an API key: the roles allowed (anyone else: 403); its operation has a caller. */
export interface ApiKeyRoute extends RouteFields {
  auth: 'apiKey';
  roles: readonly Role[];
  /** Its answer shows staff a customer's personal data: each one is recorded (functions/adapters/access-trail.ts). */
  personalData?: true;
  /**
   * A create route: an `Idempotency-Key` (its `headers` take it) makes a retry answer what the
   * first call answered, kept a day; the same key with another body is refused (422). `sealed`:
   * the answer shows a secret once (a new API key), so it is kept sealed (functions/adapters/idempotency.ts).
   */
  idempotent?: true | 'sealed';
}

/** A route whose caller is known otherwise (a signed link, a storefront's signature) or not at all. */
export interface OpenRoute extends RouteFields {
  auth: Exclude<Authentication, 'apiKey'>;
  roles?: never;
  /** Only staff are shown personal data, and only staff's creates are answered once. */
  personalData?: never;
  idempotent?: never;
}

/**
 * What a route of the HTTP API declares. A function's table is written `as const satisfies
 * readonly RouteSpec[]`, so each operation's context is typed from its own route
 * (functions/http/router.ts `RouteContext`).
 */
export type RouteSpec = ApiKeyRoute | OpenRoute;

export const routeKey = (route: Pick<RouteSpec, 'method' | 'path'>) => `${route.method} ${route.path}`;

// Path parameters that several functions' routes take: ids as the product mints them, bounded
// so a DynamoDB key can hold them.
export const requestId = z.string().check(z.regex(/^sr_[a-z0-9]{1,60}$/));
export const feedbackId = z.string().check(z.regex(/^fb_[a-z0-9_]{1,80}$/));
export const contractId = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,80}$/));
export const token = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,2000}\.[A-Za-z0-9_-]{43}$/));
