import { storefrontSecret } from '../adapters/storefront-secrets.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import { ValidationError } from '../shared/errors.ts';
import type { Delivery, Storefront } from './delivery.ts';
import { verifyGeneric, verifyShopify, verifyWooCommerce } from './signatures.ts';

/**
 * Whether a delivery is the connected storefront's: its signature over the raw bytes with the
 * tenant's secret for it (and, for Shopify, the connected shop). Checked by the webhook before a
 * delivery is kept, or by the inbox for one kept while the secret could not be read.
 */
export async function verifyDelivery(
  tenant: StoredTenant,
  storefront: Storefront,
  delivery: Delivery,
): Promise<boolean> {
  if (storefront === 'shopify') {
    const shop = tenant.storefronts.shopify;
    if (!shop) return false;
    const secret = await storefrontSecret(tenant, 'shopify', 'secret');
    return (
      secret !== undefined &&
      verifyShopify(delivery.raw, delivery.header('X-Shopify-Hmac-Sha256'), secret) &&
      delivery.header('X-Shopify-Shop-Domain')?.toLowerCase() === shop.shopDomain
    );
  }
  if (storefront === 'woocommerce') {
    if (!tenant.storefronts.woocommerce) return false;
    const secret = await storefrontSecret(tenant, 'woocommerce', 'secret');
    return (
      secret !== undefined &&
      verifyWooCommerce(delivery.raw, delivery.header('X-WC-Webhook-Signature'), secret)
    );
  }
  if (!tenant.storefronts.generic) return false;
  const key = genericKeyOf(delivery);
  const secret = await storefrontSecret(tenant, 'generic', 'secret');
  return (
    secret !== undefined &&
    verifyGeneric(delivery.raw, delivery.header('X-Signature'), secret, delivery.receivedAt, key)
  );
}

/** The generic delivery's `Idempotency-Key`: required (it names the request), and signed by v2. */
export function genericKeyOf(delivery: Delivery): string {
  const key = delivery.header('Idempotency-Key');
  if (!key || key.length > 200)
    throw new ValidationError('Idempotency-Key header is required', {
      'Idempotency-Key': ['required, at most 200 characters'],
    });
  return key;
}
