import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import { cameThroughEdge } from '../adapters/edge-origin.ts';
import { logger } from '../shared/logger.ts';

/**
 * The authorizer of the routes without an API key (storefront webhooks, the survey and action
 * pages, public documents): they check their own signatures, but only requests that came through
 * CloudFront, and so through WAF's rate limits, reach them. API Gateway caches its decision per
 * header value, so it runs about once per 5 minutes, not per request.
 */
async function authorize(
  event: APIGatewayRequestAuthorizerEventV2,
): Promise<APIGatewaySimpleAuthorizerResult> {
  return { isAuthorized: await cameThroughEdge(event.headers) };
}

export const handler = middy<APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult>()
  .use(injectLambdaContext(logger))
  .handler(authorize);
