import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import { apiRoleOf } from '../../domain/staff-role.ts';
import { parseApiKey, secretMatches } from '../adapters/api-keys.ts';
import { cameThroughEdge } from '../adapters/edge-origin.ts';
import { looksLikeJwt, verifyStaffToken } from '../adapters/staff-tokens.ts';
import { getApiKey, getTenant } from '../adapters/tenants.ts';
import { logger } from '../shared/logger.ts';

type Decision = APIGatewaySimpleAuthorizerWithContextResult<Record<string, string>>;

const deny: Decision = { isAuthorized: false, context: {} };

/**
 * A staff member signed in as themselves: their pool's ID token, their tenant not suspended,
 * and they are still on its staff list, not disabled. Their role is what the settings say now.
 */
async function authorizeStaff(token: string): Promise<Decision> {
  const claims = await verifyStaffToken(token);
  if (!claims) return deny;
  const tenant = await getTenant(claims.tenantId, { consistent: true });
  const staff = tenant?.staff.find((s) => s.staffId === claims.staffId);
  if (!tenant || tenant.suspendedAt || !staff || staff.disabledAt) return deny;
  return {
    isAuthorized: true,
    context: { tenantId: tenant.tenantId, keyId: '', role: apiRoleOf(staff), staffId: staff.staffId },
  };
}

/**
 * HTTP API Lambda authorizer (simple responses), on a request that came through our CloudFront
 * (WAF's limits apply to it): `Authorization: Bearer <api key>` (integrations), or a staff
 * member's ID token (the console). One authorizer for both: an HTTP API route has one.
 */
async function authorize(event: APIGatewayRequestAuthorizerEventV2): Promise<Decision> {
  if (!(await cameThroughEdge(event.headers))) return deny;
  const header = event.headers?.authorization ?? event.identitySource?.[0] ?? '';
  const bearer = header.replace(/^Bearer\s+/i, '').trim();
  if (looksLikeJwt(bearer)) return authorizeStaff(bearer);
  const parsed = parseApiKey(bearer);
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
