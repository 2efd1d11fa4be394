import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { matchRoute } from '../routes.ts';
import { NotFoundError } from '../shared/errors.ts';
import { type HttpEvent, type HttpResult, httpErrors, json } from '../shared/http.ts';
import { logger } from '../shared/logger.ts';
import { securityHeaders } from './router.ts';

/**
 * API Gateway's `$default` route: what no route matched. A known path asked with a method it
 * does not serve is a 405 with `Allow`; anything else a 404, both in the one error shape.
 */
export const notRouted = middy<HttpEvent, HttpResult>()
  .use(injectLambdaContext(logger))
  .use(securityHeaders())
  .use(httpErrors())
  .handler(async (event) => {
    const { allowed } = matchRoute(event.requestContext.http.method, event.rawPath);
    if (allowed.length === 0) throw new NotFoundError(`${event.rawPath}`);
    const result = json(405, {
      error: {
        code: 'MethodNotAllowed',
        message: `${event.requestContext.http.method} is not served here: ${allowed.join(', ')}`,
      },
    });
    return { ...result, headers: { ...result.headers, allow: allowed.join(', ') } };
  });
