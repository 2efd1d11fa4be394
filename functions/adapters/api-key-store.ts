import { keys, queryPage, updateIf, withoutKeys } from './table.ts';
import type { StoredApiKey } from './tenants.ts';

/** A page of the tenant's API keys (hashes only), in key order. */
export async function apiKeysPage(
  tenantId: string,
  page: { limit: number; cursor?: string },
): Promise<{ items: StoredApiKey[]; nextCursor?: string }> {
  const pk = keys.tenant(tenantId).pk;
  const { items, nextCursor } = await queryPage<StoredApiKey & { pk: string; sk: string }>(
    {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': 'APIKEY#' },
    },
    { ...page, partition: { attribute: 'pk', value: pk } },
  );
  return { items: items.map((item) => withoutKeys<StoredApiKey>(item)), nextCursor };
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
