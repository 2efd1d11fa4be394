import type { EscalationPolicy } from '#domain/escalation-ladder.ts';
import type { TenantSettings } from '#domain/tenant.ts';
import type { WorkingCalendar } from '#domain/working-calendar.ts';
import { getItem, keys, putIf, putNew, queryAll, updateIf, withoutKeys } from './table.ts';

export interface StoredTenant extends TenantSettings {
  tenantId: string;
  createdAt: string;
  /** Counts changes to the settings: the ETag of GET /v1/settings, checked by If-Match. */
  settingsVersion?: number;
  /** Set by the operator (`npm run tenant -- suspend`): every key, link and webhook stops; data is kept. */
  suspendedAt?: string;
}

/** The tenant's working calendar: its calendar settings in its time zone. */
export const calendarOf = (tenant: StoredTenant): WorkingCalendar => ({
  ...tenant.calendar,
  timeZone: tenant.timeZone,
});

/** What decides when the tenant's people hear about a deadline: its ladder on its calendar. */
export const policyOf = (tenant: StoredTenant): EscalationPolicy => ({
  ladder: tenant.escalationLadder,
  calendar: calendarOf(tenant),
});

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

export async function getTenant(
  tenantId: string,
  options: { consistent?: boolean } = {},
): Promise<StoredTenant | undefined> {
  const item = await getItem<StoredTenant & { pk: string; sk: string }>(
    keys.tenant(tenantId),
    options.consistent ?? false,
  );
  return item ? tenantFromItem(item) : undefined;
}

/** A tenant's profile as the table holds it, as the domain sees it. */
export const tenantFromItem = (item: object): StoredTenant => withoutKeys<StoredTenant>(item as StoredTenant);

/**
 * The tenant registry: the one index partition not under a tenant, read only by the daily
 * campaigns sweep (which must find every tenant); it holds tenant ids and nothing else.
 */
const registry = (tenantId: string) => ({ gsi2pk: 'TENANTS', gsi2sk: tenantId });

export async function createTenant(tenant: StoredTenant): Promise<boolean> {
  return putNew({ ...keys.tenant(tenant.tenantId), ...registry(tenant.tenantId), ...tenant });
}

/**
 * Stores new settings over the version they were made from: undefined when someone else
 * changed the settings meanwhile (the caller decides: re-apply, or 412 for an If-Match).
 */
export async function saveTenantSettings(
  tenant: StoredTenant,
  settings: TenantSettings,
): Promise<StoredTenant | undefined> {
  const version = tenant.settingsVersion ?? 0;
  const updated: StoredTenant = {
    ...settings,
    tenantId: tenant.tenantId,
    createdAt: tenant.createdAt,
    settingsVersion: version + 1,
  };
  const saved = await putIf(
    { ...keys.tenant(tenant.tenantId), ...registry(tenant.tenantId), ...updated },
    version === 0
      ? { expression: 'attribute_exists(pk) AND attribute_not_exists(settingsVersion)' }
      : { expression: 'settingsVersion = :version', values: { ':version': version } },
  );
  return saved ? updated : undefined;
}

/** Suspends a tenant (`at`) or lifts its suspension (undefined); false if there is no such tenant. */
export async function setTenantSuspended(tenantId: string, at: Date | undefined): Promise<boolean> {
  const updated = await updateIf(keys.tenant(tenantId), {
    UpdateExpression: at ? 'SET suspendedAt = :at' : 'REMOVE suspendedAt',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: at ? { ':at': at.toISOString() } : undefined,
  });
  return updated !== undefined;
}

export async function listTenantIds(): Promise<string[]> {
  const items = await queryAll<{ tenantId: string }>({
    IndexName: 'byTime',
    KeyConditionExpression: 'gsi2pk = :pk',
    ExpressionAttributeValues: { ':pk': 'TENANTS' },
    ProjectionExpression: 'tenantId',
  });
  return items.map((item) => item.tenantId);
}

export async function getApiKey(tenantId: string, keyId: string): Promise<StoredApiKey | undefined> {
  // Strongly consistent: with the authorizer's 30 s cache, a revoked key stops working within it.
  const item = await getItem<StoredApiKey & { pk: string; sk: string }>(keys.apiKey(tenantId, keyId));
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, ...apiKey } = item;
  return apiKey;
}

export async function createApiKey(apiKey: StoredApiKey): Promise<boolean> {
  return putNew({ ...keys.apiKey(apiKey.tenantId, apiKey.keyId), ...apiKey });
}
