import type { TenantSettings } from '../../domain/tenant.ts';
import { getItem, keys, putItem, putNew } from './table.ts';

export interface StoredTenant extends TenantSettings {
  tenantId: string;
  createdAt: string;
}

export interface StoredApiKey {
  tenantId: string;
  keyId: string;
  /** SHA-256 of the secret part: keys are random 256-bit values, so a fast hash is enough. */
  secretHash: string;
  role: 'agent' | 'manager' | 'admin';
  /** The staff member acting through this key, for the timeline. */
  staffId?: string;
  createdAt: string;
  revokedAt?: string;
}

export async function getTenant(tenantId: string): Promise<StoredTenant | undefined> {
  const item = await getItem<StoredTenant & { pk: string; sk: string }>(keys.tenant(tenantId), false);
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, ...tenant } = item;
  return tenant;
}

export async function createTenant(tenant: StoredTenant): Promise<boolean> {
  return putNew({ ...keys.tenant(tenant.tenantId), ...tenant });
}

export async function saveTenant(tenant: StoredTenant): Promise<void> {
  await putItem({ ...keys.tenant(tenant.tenantId), ...tenant });
}

export async function getApiKey(tenantId: string, keyId: string): Promise<StoredApiKey | undefined> {
  const item = await getItem<StoredApiKey & { pk: string; sk: string }>(keys.apiKey(tenantId, keyId), false);
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, ...apiKey } = item;
  return apiKey;
}

export async function createApiKey(apiKey: StoredApiKey): Promise<boolean> {
  return putNew({ ...keys.apiKey(apiKey.tenantId, apiKey.keyId), ...apiKey });
}
