import type { ContractVersion } from '../../domain/contract.ts';
import { keys, query } from './table.ts';

/** All versions of one contract of a tenant (items `CONTRACT#<id>#V#<nnnn>` in the tenant partition). */
export async function contractVersions(tenantId: string, contractId: string): Promise<ContractVersion[]> {
  const { items } = await query<ContractVersion & { pk: string; sk: string }>({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.tenant(tenantId).pk, ':prefix': `CONTRACT#${contractId}#V#` },
    ConsistentRead: true,
  });
  return items.map(({ pk: _pk, sk: _sk, ...version }) => version);
}

export const contractVersionKey = (tenantId: string, contractId: string, version: number) => ({
  pk: keys.tenant(tenantId).pk,
  sk: `CONTRACT#${contractId}#V#${String(version).padStart(4, '0')}`,
});
