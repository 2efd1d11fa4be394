import { JwtRsaVerifier } from 'aws-jwt-verify';
import { config } from './config.ts';

/**
 * Staff sign in as themselves (Cognito user pool, one for every tenant): their ID token names
 * their tenant and their staff id (`custom:tenant`, `custom:staff`), signed by the pool. The
 * issuer and the app client come from the environment: `https://cognito-idp.<region>.amazonaws.com/<pool>`
 * on AWS, the Cognito stand-in's URL locally (local/cognito.ts), read at each call so that a
 * process hosting two local runtimes one after the other verifies against the one running.
 */
export interface StaffClaims {
  tenantId: string;
  staffId: string;
  email: string;
  /** The pool verified the address (every invited user is made with it verified). */
  emailVerified: boolean;
}

/** One verifier per pool, its keys fetched once (aws-jwt-verify refuses http:, so the stand-in's are preloaded). */
async function createVerifier(issuer: string, audience: string) {
  const jwksUri = `${issuer}/.well-known/jwks.json`;
  const verifier = JwtRsaVerifier.create({ issuer, audience, tokenUse: 'id' as const, jwksUri });
  if (issuer.startsWith('http:')) verifier.cacheJwks(await (await fetch(jwksUri)).json());
  return verifier;
}
const verifiers = new Map<string, ReturnType<typeof createVerifier>>();

function verifierFor(issuer: string, audience: string) {
  const key = `${issuer} ${audience}`;
  const known = verifiers.get(key);
  if (known) return known;
  const created = createVerifier(issuer, audience);
  created.catch(() => verifiers.delete(key));
  verifiers.set(key, created);
  return created;
}

/** A JWT's shape (three base64url parts), as opposed to our API keys. */
export const looksLikeJwt = (token: string) =>
  /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token) && token.startsWith('ey');

/** The staff member a valid, unexpired ID token of our pool names; undefined for anything else. */
export async function verifyStaffToken(token: string): Promise<StaffClaims | undefined> {
  const { STAFF_TOKEN_ISSUER: issuer, STAFF_POOL_CLIENT_ID: audience } = config();
  if (!issuer || !audience) return undefined;
  try {
    const payload = await (await verifierFor(issuer, audience)).verify(token);
    const tenantId = payload['custom:tenant'];
    const staffId = payload['custom:staff'];
    if (typeof tenantId !== 'string' || typeof staffId !== 'string') return undefined;
    const verified = payload.email_verified;
    return {
      tenantId,
      staffId,
      email: String(payload.email ?? ''),
      emailVerified: verified === true || verified === 'true',
    };
  } catch {
    return undefined;
  }
}
