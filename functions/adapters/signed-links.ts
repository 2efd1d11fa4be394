import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from '#domain/zod.ts';
import { config } from './config.ts';
import { secretParameter } from './parameters.ts';

/** What a signed link lets its holder do, without logging in (escalation emails, surveys). */
const linkClaimsSchema = z.object({
  tenantId: z.string(),
  requestId: z.string(),
  action: z.enum(['acknowledge', 'takeOver', 'survey']),
  /** Who the link was sent to: recorded as the actor. */
  actor: z.string(),
  expiresAt: z.int(),
});
export type LinkClaims = z.infer<typeof linkClaimsSchema>;

/** The HMAC key: from the environment locally, from SSM Parameter Store on AWS (once per cold start). */
async function signingSecret(): Promise<string> {
  const { LINK_SIGNING_SECRET, LINK_SIGNING_SECRET_PARAMETER } = config();
  if (LINK_SIGNING_SECRET) return LINK_SIGNING_SECRET;
  if (!LINK_SIGNING_SECRET_PARAMETER)
    throw new Error('Set LINK_SIGNING_SECRET or LINK_SIGNING_SECRET_PARAMETER');
  const value = await secretParameter(LINK_SIGNING_SECRET_PARAMETER);
  if (value.length < 16) throw new Error(`SSM parameter ${LINK_SIGNING_SECRET_PARAMETER} is too short`);
  return value;
}

async function sign(payload: string): Promise<string> {
  return createHmac('sha256', await signingSecret())
    .update(payload)
    .digest('base64url');
}

/**
 * A keyed digest for what must be unguessable yet the same each time (a subject's reply
 * address, domain/conversation.ts): the links' key, kept apart from them by `purpose`.
 */
export async function keyedDigest(purpose: string, payload: string): Promise<Buffer> {
  return createHmac('sha256', await signingSecret())
    .update(`${purpose}\n${payload}`)
    .digest();
}

/** A link to `/a/<token>` (escalation actions) or `/s/<token>` (the survey page). */
export async function signLink(claims: LinkClaims): Promise<string> {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const path = claims.action === 'survey' ? 's' : 'a';
  return `${config().PUBLIC_BASE_URL}/${path}/${payload}.${await sign(payload)}`;
}

export type LinkCheck =
  | { ok: true; claims: LinkClaims; expired: boolean }
  | { ok: false; reason: 'invalid' | 'expired' };

/**
 * Checks a link's signature and expiry. With `honourExpired`, an expired but genuine link is
 * returned as such (`expired: true`) for the caller to judge: an escalation link stays good for
 * as long as what it acts on is still open.
 */
export async function verifyLinkToken(
  token: string,
  now: Date,
  options: { honourExpired?: boolean } = {},
): Promise<LinkCheck> {
  const [payload, signature] = token.split('.');
  if (!payload || !signature) return { ok: false, reason: 'invalid' };
  const expected = Buffer.from(await sign(payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: 'invalid' };
  let claims: LinkClaims;
  try {
    claims = linkClaimsSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  const expired = claims.expiresAt * 1000 <= now.getTime();
  if (expired && !options.honourExpired) return { ok: false, reason: 'expired' };
  return { ok: true, claims, expired };
}

/**
 * Where staff see a subject in the console (#15): a request's own page, a feedback case in the
 * feedback worklist. Signing in is the console's business: nothing is signed into this link.
 */
export function consoleLinkOf(subjectId: string): string {
  const base = `${config().PUBLIC_BASE_URL}/console`;
  return subjectId.startsWith('fb_') ? `${base}/feedback/${subjectId}` : `${base}/requests/${subjectId}`;
}
