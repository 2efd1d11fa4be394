import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import { apiRoleOf } from '#domain/staff-role.ts';
import { parseApiKey, secretMatches } from '../adapters/api-keys.ts';
import { cameThroughEdge } from '../adapters/edge-origin.ts';
import { looksLikeJwt, verifyStaffToken } from '../adapters/staff-tokens.ts';
import { getApiKey, getTenant } from '../adapters/tenants.ts';
import { isTransientAwsError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';

type Decision = APIGatewaySimpleAuthorizerWithContextResult<Record<string, string>>;

const deny: Decision = { isAuthorized: false, context: {} };

/**
 * A staff member signed in as themselves: their pool's ID token, their tenant not suspended,
 * and they are still on its staff list, not disabled. Their role is what the settings say now.
 * The token's tenant and staff id are only claims: the user must be the one the staff entry
 * names (the pool's sign-in is the email the tenant invited), so a user made any other way (a
 * self sign-up, an operator's mistake) naming someone else's entry is refused (#32).
 */
async function authorizeStaff(token: string): Promise<Decision> {
  const claims = await verifyStaffToken(token);
  if (!claims) return deny;
  const tenant = await getTenant(claims.tenantId, { consistent: true });
  const staff = tenant?.staff.find((s) => s.staffId === claims.staffId);
  if (!tenant || tenant.suspendedAt || !staff || staff.disabledAt) return deny;
  if (!claims.emailVerified || staff.email.toLowerCase() !== claims.email.toLowerCase()) return deny;
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
  const header = event.headers?.authorization ?? event.identitySource?.[0] ?? '';
  const bearer = header.replace(/^Bearer\s+/i, '').trim();
  if (looksLikeJwt(bearer)) return authorizeStaff(bearer);
  const parsed = parseApiKey(bearer);
  if (!parsed) return deny;
  const stored = await getApiKey(parsed.tenantId, parsed.keyId);
  if (!stored || stored.revokedAt || !secretMatches(parsed.secret, stored)) return deny;
  // A suspended tenant's keys are refused here too (and by every handler at once), and a key
  // that acts for a staff member stops with them (disabled, or no longer on staff).
  const tenant = await getTenant(parsed.tenantId, { consistent: true });
  if (!tenant || tenant.suspendedAt) return deny;
  if (stored.staffId) {
    const member = tenant.staff.find((s) => s.staffId === stored.staffId);
    if (!member || member.disabledAt) return deny;
  }
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

/**
 * An authorizer that throws makes API Gateway answer `500 {"message":"Internal Server Error"}`,
 * and a denial 403: neither tells a client that DynamoDB is down and a retry will do. So when the
 * key or the staff list cannot be read, the request is let through marked `unavailable`, and the
 * router answers it 503 with Retry-After in our error shape before anything else runs
 * (functions/shared/http.ts `callerOf`): nothing is read or done for an unchecked caller. API
 * Gateway keeps the decision for its cache TTL, which the Retry-After covers.
 */
async function authorizeOrSayUnavailable(event: APIGatewayRequestAuthorizerEventV2): Promise<Decision> {
  if (!(await cameThroughEdge(event.headers))) return deny;
  try {
    return await authorize(event);
  } catch (error) {
    if (!isTransientAwsError(error)) throw error;
    logger.warn('Authorizer could not read the table: answered unavailable', { error });
    return { isAuthorized: true, context: { unavailable: 'dynamodb' } };
  }
}

export const handler = middy<APIGatewayRequestAuthorizerEventV2, Decision>()
  .use(injectLambdaContext(logger))
  .handler(authorizeOrSayUnavailable);
