import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import { parseApiKey, secretMatches } from '../adapters/api-keys.ts';
import { cameThroughEdge } from '../adapters/edge-origin.ts';
import { getApiKey, getTenant } from '../adapters/tenants.ts';
import { logger } from '../shared/logger.ts';

type Decision = APIGatewaySimpleAuthorizerWithContextResult<Record<string, string>>;

const deny: Decision = { isAuthorized: false, context: {} };

/**
 * HTTP API Lambda authorizer (simple responses): `Authorization: Bearer <api key>`, on a request
 * that came through our CloudFront (WAF's limits apply to it).
 */
async function authorize(event: APIGatewayRequestAuthorizerEventV2): Promise<Decision> {
  if (!(await cameThroughEdge(event.headers))) return deny;
  const header = event.headers?.authorization ?? event.identitySource?.[0] ?? '';
  const parsed = parseApiKey(header.replace(/^Bearer\s+/i, '').trim());
  if (!parsed) return deny;
  const stored = await getApiKey(parsed.tenantId, parsed.keyId);
  if (!stored || stored.revokedAt || !secretMatches(parsed.secret, stored)) return deny;
  // A suspended tenant's keys are refused here too (and by every handler at once).
  if ((await getTenant(parsed.tenantId, { consistent: true }))?.suspendedAt) return deny;
  return {
    isAuthorized: true,
    context: {
      tenantId: stored.tenantId,
      keyId: stored.keyId,
      role: stored.role,
      staffId: stored.staffId ?? '',
    },
  };
}

export const handler = middy<APIGatewayRequestAuthorizerEventV2, Decision>()
  .use(injectLambdaContext(logger))
  .handler(authorize);
