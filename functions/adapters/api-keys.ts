import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { StoredApiKey } from './tenants.ts';

/**
 * API keys look like `ak_<tenantId>_<keyId>_<secret>`: the tenant and key id are readable in
 * logs, the secret is shown once and stored only as a SHA-256 hash.
 */
export function mintApiKey(tenantId: string, role: StoredApiKey['role'], createdAt: Date, staffId?: string) {
  const keyId = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('hex');
  const stored: StoredApiKey = {
    tenantId,
    keyId,
    secretHash: hashSecret(secret),
    role,
    staffId,
    createdAt: createdAt.toISOString(),
  };
  return { apiKey: `ak_${tenantId}_${keyId}_${secret}`, stored };
}

export function parseApiKey(value: string): { tenantId: string; keyId: string; secret: string } | undefined {
  const match = /^ak_([a-z0-9-]{3,40})_([0-9a-f]{12})_([0-9a-f]{64})$/.exec(value);
  if (!match) return undefined;
  return { tenantId: match[1]!, keyId: match[2]!, secret: match[3]! };
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretMatches(secret: string, stored: StoredApiKey): boolean {
  const given = Buffer.from(hashSecret(secret), 'hex');
  const expected = Buffer.from(stored.secretHash, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
