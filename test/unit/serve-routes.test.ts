import { describe, expect, it } from 'vitest';
import { serveRoutes } from '#functions/http/router.ts';
import { reportsApiRoutes } from '#functions/reports-api/routes.ts';
import { requestsApiRoutes } from '#functions/requests-api/routes.ts';
import { routes } from '#functions/routes.ts';
import { json } from '#functions/shared/http.ts';

/**
 * Each function declares its own routes; the router refuses, when the handler is made, a table
 * that does not match the function's operations, so a route can be neither dropped nor served
 * by the wrong function when the table is split per function.
 */
describe('serveRoutes', () => {
  const ok = async () => json(200, {});
  const operationsOf = (table: readonly { operationId: string }[]) =>
    Object.fromEntries(table.map((route) => [route.operationId, ok]));

  it('serves a function whose operations are exactly its routes', () => {
    expect(() => serveRoutes('reportsApi', reportsApiRoutes, operationsOf(reportsApiRoutes))).not.toThrow();
  });

  it('refuses a route with no operation, an operation with no route, and another function’s route', () => {
    const [first, ...rest] = reportsApiRoutes;
    expect(() => serveRoutes('reportsApi', reportsApiRoutes, operationsOf(rest))).toThrow(
      `operations missing ${first!.operationId}`,
    );
    expect(() =>
      serveRoutes('reportsApi', reportsApiRoutes, { ...operationsOf(reportsApiRoutes), somethingElse: ok }),
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
