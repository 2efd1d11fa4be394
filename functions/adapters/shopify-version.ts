/**
 * The Shopify Admin API version we pin: a stable version (Shopify supports each for a year); moving it is a code change
 * with the query checked against the new version's reference.
 */
export const SHOPIFY_API_VERSION = '2026-10';

/**
 * When Shopify stops serving a stable version: at least 12 months after its release (a version
 * `YYYY-MM` is released on the first of that month; shopify.dev/docs/api/usage/versioning).
 */
export function shopifyVersionEndsAt(version: string): Date {
  const [year, month] = version.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year + 1, month - 1, 1));
}
