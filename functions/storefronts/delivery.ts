import type { StoredRequest } from '../adapters/requests.ts';
import { DomainError } from '../shared/errors.ts';
import type { HttpResult } from '../shared/http.ts';
import { json } from '../shared/http.ts';

export type Storefront = 'shopify' | 'woocommerce' | 'generic';
export const storefronts: readonly Storefront[] = ['shopify', 'woocommerce', 'generic'];

/**
 * The headers each storefront's delivery is read by (signature, topic, ids, timestamps): the only
 * ones kept with a delivery in the inbox, by their lower-case names.
 */
export const STOREFRONT_HEADERS: Record<Storefront, readonly string[]> = {
  shopify: [
    'x-shopify-hmac-sha256',
    'x-shopify-shop-domain',
    'x-shopify-topic',
    'x-shopify-event-id',
    'x-shopify-webhook-id',
    'x-shopify-triggered-at',
    'x-shopify-api-version',
  ],
  woocommerce: [
    'x-wc-webhook-signature',
    'x-wc-webhook-delivery-id',
    'x-wc-webhook-id',
    'x-wc-webhook-topic',
    'x-wc-webhook-resource',
    'x-wc-webhook-event',
    'x-wc-webhook-source',
  ],
  generic: ['x-signature', 'idempotency-key'],
};

/**
 * One storefront delivery as received: its raw bytes (signatures are over them), the headers its
 * storefront is read by, and when it arrived (the 2-hour clock of a request it opens runs from
 * there, however long it waited in the inbox).
 */
export interface Delivery {
  raw: Buffer;
  receivedAt: Date;
  header(name: string): string | undefined;
}

/** A delivery as the inbox keeps it (an SQS message's body, JSON). */
export interface KeptDelivery {
  tenantId: string;
  storefront: Storefront;
  receivedAt: string;
  headers: Record<string, string>;
  /** The raw bytes, base64. */
  body: string;
  /** Whether the webhook checked its signature; false when it could not read the secret then. */
  verified: boolean;
}

export function deliveryOf(kept: Pick<KeptDelivery, 'headers' | 'body' | 'receivedAt'>): Delivery {
  return {
    raw: Buffer.from(kept.body, 'base64'),
    receivedAt: new Date(kept.receivedAt),
    header: (name) => kept.headers[name.toLowerCase()],
  };
}

/** One answer for every authentication failure: no hint which tenant, secret or clock was wrong. */
export const unauthorized = () =>
  new DomainError(401, 'Unauthorized', 'The delivery could not be authenticated');

/** Saving a webhook in WooCommerce sends this, unsigned, as a form body: it must get a 200. */
export const isWooCommercePing = (raw: Buffer) => /^webhook_id=\d+$/.test(raw.toString('utf8').trim());

export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new DomainError(400, 'MalformedJson', 'The delivery body is not valid JSON');
  }
}

export const ignored = (reason: string): HttpResult => json(200, { ignored: true, reason });

/** A request opened (201) or found again (200: every copy of a delivery names the same request). */
export const answered = (request: StoredRequest, created: boolean): HttpResult =>
  json(created ? 201 : 200, { requestId: request.requestId, status: request.status, duplicate: !created });
