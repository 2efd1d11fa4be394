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
export const GENERIC_TOLERANCE_SECONDS = 300;

/**
 * Our generic scheme: `X-Signature: t=<unix seconds>,v2=<hex HMAC-SHA256 of "<t>.<key>.<raw body>">`
 * where `<key>` is the delivery's `Idempotency-Key`. The timestamp is signed, so a captured
 * delivery cannot be replayed after 5 minutes; the key is signed, so it cannot be changed to make
 * a second request. `v1` (HMAC of "<t>.<raw body>", the key unsigned) is still accepted for
 * senders built before v2; its replays within the window are caught by the body claim
 * (functions/storefronts/generic.ts).
 */
export function verifyGeneric(
  rawBody: Buffer,
  header: string | undefined,
  secret: string,
  now: Date,
  idempotencyKey: string,
): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(
    header.split(',').map((part) => part.trim().split('=', 2) as [string, string]),
  );
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp)) return false;
  if (Math.abs(now.getTime() / 1000 - timestamp) > GENERIC_TOLERANCE_SECONDS) return false;
  const given = parts.v2 ?? parts.v1;
  if (!given || !/^[0-9a-f]{64}$/.test(given)) return false;
  const signed = parts.v2 ? `${timestamp}.${idempotencyKey}.` : `${timestamp}.`;
  const expected = hmac(secret, Buffer.concat([Buffer.from(signed), rawBody]));
  return equal(expected, Buffer.from(given, 'hex'));
}

/** For senders and tests: the v2 header value for a body and key signed at `at`. */
export function signGeneric(rawBody: string, idempotencyKey: string, secret: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v2=${createHmac('sha256', secret).update(`${t}.${idempotencyKey}.${rawBody}`).digest('hex')}`;
}

/** The v1 header (the key unsigned): what senders built before v2 send. */
export function signGenericV1(rawBody: string, secret: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex')}`;
}
