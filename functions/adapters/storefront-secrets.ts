import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Storefronts } from '#domain/tenant.ts';
import { config } from './config.ts';
import { secretParameter } from './parameters.ts';

/**
 * Storefront secrets (webhook secrets, the Shopify Admin API token) are sealed before they are
 * stored: AES-256-GCM under a key derived from the stage's storefront-secrets key, with the
 * tenant and the field as associated data, so a sealed value copied to another tenant or field
 * does not open. The key is read like the link-signing secret: from the environment locally,
 * from an SSM SecureString on AWS (KMS-encrypted there), once per cold start. A table export or
 * a backup alone reveals no secret.
 */
const PREFIX = 'sealed:v1:';

export const isSealed = (value: string) => value.startsWith(PREFIX);

async function storefrontSecretsKey(): Promise<Buffer> {
  const { STOREFRONT_SECRETS_KEY, STOREFRONT_SECRETS_KEY_PARAMETER } = config();
  let value = STOREFRONT_SECRETS_KEY;
  if (!value) {
    if (!STOREFRONT_SECRETS_KEY_PARAMETER)
      throw new Error('Set STOREFRONT_SECRETS_KEY or STOREFRONT_SECRETS_KEY_PARAMETER');
    value = await secretParameter(STOREFRONT_SECRETS_KEY_PARAMETER);
  }
  if (value.length < 32) throw new Error('The storefront-secrets key is shorter than 32');
  return Buffer.from(value, 'utf8');
}

const associatedData = (tenantId: string, field: string) => Buffer.from(`${tenantId}|${field}`, 'utf8');

async function fieldKey(tenantId: string, field: string): Promise<Buffer> {
  return Buffer.from(hkdfSync('sha256', await storefrontSecretsKey(), tenantId, `storefront:${field}`, 32));
}

export async function sealSecret(tenantId: string, field: string, plaintext: string): Promise<string> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', await fieldKey(tenantId, field), iv);
  cipher.setAAD(associatedData(tenantId, field));
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

/**
 * The secret a stored value holds. A value stored before sealing existed is plaintext and is
 * returned as it is (it is sealed the next time the tenant's settings are saved).
 */
export async function openSecret(tenantId: string, field: string, stored: string): Promise<string> {
  if (!isSealed(stored)) return stored;
  const bytes = Buffer.from(stored.slice(PREFIX.length), 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', await fieldKey(tenantId, field), bytes.subarray(0, 12));
  decipher.setAAD(associatedData(tenantId, field));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString(
    'utf8',
  );
}

/** Where each storefront keeps its secrets: the fields sealed at rest. */
export const storefrontSecretFields = {
  shopify: ['secret', 'adminAccessToken'],
  woocommerce: ['secret'],
  generic: ['secret'],
} as const;

/** The storefronts with every secret not yet sealed sealed (already sealed ones are kept as they are). */
export async function sealStorefrontSecrets(
  tenantId: string,
  storefronts: Storefronts,
): Promise<Storefronts> {
  const sealed: Record<string, unknown> = { ...storefronts };
  for (const [name, fields] of Object.entries(storefrontSecretFields)) {
    const storefront = storefronts[name as keyof Storefronts] as Record<string, unknown> | undefined;
    if (!storefront) continue;
    const copy = { ...storefront };
    for (const field of fields) {
      const value = copy[field];
      if (typeof value === 'string' && !isSealed(value))
        copy[field] = await sealSecret(tenantId, `${name}.${field}`, value);
    }
    sealed[name] = copy;
  }
  return sealed as Storefronts;
}

/** One storefront secret, opened: e.g. `storefrontSecret(tenant, 'shopify', 'adminAccessToken')`. */
export async function storefrontSecret<S extends keyof typeof storefrontSecretFields>(
  tenant: { tenantId: string; storefronts: Storefronts },
  storefront: S,
  field: (typeof storefrontSecretFields)[S][number],
): Promise<string | undefined> {
  const value = (tenant.storefronts[storefront] as Record<string, unknown> | undefined)?.[field];
  return typeof value === 'string' ? openSecret(tenant.tenantId, `${storefront}.${field}`, value) : undefined;
}
