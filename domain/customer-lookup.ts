/**
 * A request that arrived without its customer's details: the details are pending (6.1.1: the
 * request exists, and its 2-hour clock runs, from receipt; only what needs the customer waits).
 * A Shopify return's webhook names the order by id only: the details are looked up from the shop,
 * again and again with a growing pause, until they are found or staff enter them. A WooCommerce
 * order without a billing email (a phone or point-of-sale order) has nothing to look up: staff
 * enter them (#33).
 */
export type CustomerLookup =
  | {
      storefront: 'shopify';
      shopDomain: string;
      /** The storefront's ids of what the delivery named (Admin API global ids). */
      returnId: string;
      orderId: string;
      attempts: number;
      nextAttemptAt: string;
      lastFailure?: { code: string; message: string; at: string };
    }
  | {
      storefront: 'woocommerce';
      /** The WordPress site the order is in (`X-WC-Webhook-Source`), if it said. */
      shopDomain: string;
      orderId: string;
      /** Nothing is looked up: staff complete the details. */
      attempts: 0;
      lastFailure: { code: 'no_email'; message: string; at: string };
    };

/** When a lookup tries next; never, for one that only staff can complete. */
export const nextLookupAt = (lookup: CustomerLookup | undefined): string | undefined =>
  lookup?.storefront === 'shopify' ? lookup.nextAttemptAt : undefined;

/** The first retry after a minute, doubling to an hour; an hour apart from then on. */
export const LOOKUP_FIRST_RETRY_SECONDS = 60;
export const LOOKUP_MAX_RETRY_SECONDS = 3600;

/**
 * When to try again after `attempts` failed attempts: the backoff, or later if the storefront
 * asked for more time (`Retry-After`), but never later than the hour cap plus what it asked.
 */
export function nextLookupAttempt(attempts: number, failedAt: Date, retryAfterSeconds?: number): Date {
  const backoff = Math.min(
    LOOKUP_FIRST_RETRY_SECONDS * 2 ** Math.max(0, attempts - 1),
    LOOKUP_MAX_RETRY_SECONDS,
  );
  const pause = Math.max(backoff, Math.ceil(retryAfterSeconds ?? 0));
  return new Date(failedAt.getTime() + pause * 1000);
}

/** The customer's language from a storefront locale (`zh-CN`, `zh`, `en-US`…), if we speak it. */
export function languageOfLocale(locale: string | null | undefined): 'zh-CN' | 'en' | undefined {
  const tag = (locale ?? '').toLowerCase();
  if (tag === 'zh' || tag.startsWith('zh-cn') || tag.startsWith('zh-hans')) return 'zh-CN';
  if (tag === 'en' || tag.startsWith('en-')) return 'en';
  return undefined;
}
