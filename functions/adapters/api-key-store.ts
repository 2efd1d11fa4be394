import { keys, query, updateIf } from './table.ts';
import type { StoredApiKey } from './tenants.ts';

/** The tenant's API keys (hashes only), newest first. */
export async function listApiKeys(tenantId: string): Promise<StoredApiKey[]> {
  const { items } = await query<StoredApiKey & { pk: string; sk: string }>({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.tenant(tenantId).pk, ':prefix': 'APIKEY#' },
  });
  return items
    .map(({ pk: _pk, sk: _sk, ...apiKey }) => apiKey)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Revokes a key once; false when there is no such key (or it was revoked already). */
export async function revokeApiKey(tenantId: string, keyId: string, at: Date): Promise<boolean> {
  const updated = await updateIf(keys.apiKey(tenantId, keyId), {
    UpdateExpression: 'SET revokedAt = :at',
    ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
    ExpressionAttributeValues: { ':at': at.toISOString() },
  });
  return updated !== undefined;
}
