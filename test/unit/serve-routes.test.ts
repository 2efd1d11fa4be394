import { describe, expect, expectTypeOf, it } from 'vitest';
import * as z from '#domain/zod.ts';
import { anyStaff, type RouteSpec } from '#functions/http/route-spec.ts';
import { type ContextOf, serveRoutes } from '#functions/http/router.ts';
import { reportsApiRoutes } from '#functions/reports-api/routes.ts';
import { requestsApiRoutes } from '#functions/requests-api/routes.ts';
import type { routeDocs } from '#functions/route-docs.ts';
import { type OperationId, routes } from '#functions/routes.ts';
import { type Caller, json } from '#functions/shared/http.ts';
import type { surveyPageRoutes } from '#functions/survey-page/routes.ts';

/**
 * Each function declares its own routes, and the compiler binds them to its operations: each
 * operation is given its own route's context (body, query, headers, path parameters and caller
 * typed from the route), a route without an operation or an operation without a route does not
 * compile, and the router also refuses such a table when the handler is made (for callers the
 * compiler did not see).
 */
const ok = async () => json(200, {});
const operationsOf = (table: readonly { operationId: string }[]) =>
  Object.fromEntries(table.map((route) => [route.operationId, ok])) as never;

/** A table of one create route whose body is a number. */
const table = [
  {
    operationId: 'make',
    method: 'POST',
    path: '/v1/things',
    function: 'reportsApi',
    auth: 'apiKey',
    roles: anyStaff,
    body: z.object({ n: z.number() }),
  },
] as const satisfies readonly RouteSpec[];

describe('an operation’s context, typed from its route', () => {
  it('gives the body its schema’s type, and refuses an operation that expects another', () => {
    expectTypeOf<ContextOf<typeof table, 'make'>['body']>().toEqualTypeOf<{ n: number }>();
    // Only compiled, never run (the router would refuse the other function's name anyway).
    const mismatched = () =>
      serveRoutes('reportsApi', table, {
        // @ts-expect-error: the operation reads `n` as a string, the route's schema makes it a number
        make: async ({ body }: { body: { n: string } }) => json(200, body),
      });
    expect(mismatched).toBeTypeOf('function');
  });

  it('names each path parameter, and gives a caller to API-key routes only', () => {
    expectTypeOf<ContextOf<typeof requestsApiRoutes, 'cancelRequest'>['params']>().toEqualTypeOf<{
      readonly requestId: string;
    }>();
    expectTypeOf<ContextOf<typeof requestsApiRoutes, 'cancelRequest'>['caller']>().toEqualTypeOf<Caller>();
    expectTypeOf<ContextOf<typeof surveyPageRoutes, 'showSurvey'>['caller']>().toEqualTypeOf<undefined>();
    expectTypeOf<ContextOf<typeof requestsApiRoutes, 'cancelRequest'>['body']>().toEqualTypeOf<{
      reason: string;
    }>();
  });

  it('does not compile a table with an operation missing or one too many', () => {
    const compiledOnly = () => {
      // @ts-expect-error: `make` has no operation
      serveRoutes('reportsApi', table, {});
      // @ts-expect-error: `other` has no route
      serveRoutes('reportsApi', table, { make: ok, other: ok });
    };
    expect(compiledOnly).toBeTypeOf('function');
  });

  it('documents every operation, by its id', () => {
    expectTypeOf<keyof typeof routeDocs>().toEqualTypeOf<OperationId>();
  });
});

describe('serveRoutes, when the handler is made', () => {
  it('serves a function whose operations are exactly its routes', () => {
    expect(() => serveRoutes('reportsApi', reportsApiRoutes, operationsOf(reportsApiRoutes))).not.toThrow();
  });

  it('refuses a route with no operation, an operation with no route, and another function’s route', () => {
    const [first, ...rest] = reportsApiRoutes;
    expect(() => serveRoutes('reportsApi', reportsApiRoutes, operationsOf(rest))).toThrow(
      `operations missing ${first!.operationId}`,
    );
    expect(() =>
      serveRoutes('reportsApi', reportsApiRoutes, {
        ...(operationsOf(reportsApiRoutes) as object),
        somethingElse: ok,
      } as never),
    ).toThrow('not routed somethingElse');
    const borrowed = [...reportsApiRoutes, requestsApiRoutes[0]!];
    expect(() => serveRoutes('reportsApi', borrowed, operationsOf(borrowed))).toThrow(
      `another function's ${requestsApiRoutes[0]!.operationId}`,
    );
  });

  it('the gathered table holds every function’s routes once, each under one function', () => {
    const keys = routes.map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(routes.map((route) => route.operationId)).size).toBe(routes.length);
    expect(routes).toEqual(expect.arrayContaining([...reportsApiRoutes, ...requestsApiRoutes]));
  });
});
