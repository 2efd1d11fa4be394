import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { config } from './config.ts';

/** What a signed link lets its holder do, without logging in (escalation emails, surveys). */
export const linkClaimsSchema = z.object({
  tenantId: z.string(),
  requestId: z.string(),
  action: z.enum(['acknowledge', 'takeOver']),
  /** Who the link was sent to: recorded as the actor. */
  actor: z.string(),
  expiresAt: z.number().int(),
});
export type LinkClaims = z.infer<typeof linkClaimsSchema>;

function sign(payload: string): string {
  return createHmac('sha256', config().LINK_SIGNING_SECRET).update(payload).digest('base64url');
}

export function signLink(claims: LinkClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${config().PUBLIC_BASE_URL}/a/${payload}.${sign(payload)}`;
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; reason: 'invalid' | 'expired' };

export function verifyLinkToken(token: string, now: Date): LinkCheck {
  const [payload, signature] = token.split('.');
  if (!payload || !signature) return { ok: false, reason: 'invalid' };
  const expected = Buffer.from(sign(payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: 'invalid' };
  let claims: LinkClaims;
  try {
    claims = linkClaimsSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (claims.expiresAt * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}
