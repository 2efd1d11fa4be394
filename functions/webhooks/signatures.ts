import { createHmac, timingSafeEqual } from 'node:crypto';

function equal(expected: Buffer, given: Buffer): boolean {
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const hmac = (secret: string, data: Buffer | string) => createHmac('sha256', secret).update(data).digest();

/** Shopify: `X-Shopify-Hmac-Sha256` is the base64 HMAC-SHA256 of the raw body. */
export function verifyShopify(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  return equal(hmac(secret, rawBody), Buffer.from(header, 'base64'));
}

/** WooCommerce: `X-WC-Webhook-Signature`, the same construction. */
export const verifyWooCommerce = verifyShopify;

/** How old a generic delivery may be before it counts as a replay. */
const GENERIC_TOLERANCE_SECONDS = 300;

/**
 * Our generic scheme: `X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 * The timestamp is signed, so a captured delivery cannot be replayed after 5 minutes.
 */
export function verifyGeneric(
  rawBody: Buffer,
  header: string | undefined,
  secret: string,
  now: Date,
): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(
    header.split(',').map((part) => part.trim().split('=', 2) as [string, string]),
  );
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp) || !parts.v1 || !/^[0-9a-f]{64}$/.test(parts.v1)) return false;
  if (Math.abs(now.getTime() / 1000 - timestamp) > GENERIC_TOLERANCE_SECONDS) return false;
  const expected = hmac(secret, Buffer.concat([Buffer.from(`${timestamp}.`), rawBody]));
  return equal(expected, Buffer.from(parts.v1, 'hex'));
}

/** For senders and tests: the header value for a body signed at `at`. */
export function signGeneric(rawBody: string, secret: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex')}`;
}
