import type { ContractVersion } from '../../domain/contract.ts';
import { keys, putNew, query, updateIf } from './table.ts';

/** All versions of one contract of a tenant (items `CONTRACT#<id>#V#<nnnn>` in the tenant partition). */
export async function contractVersions(tenantId: string, contractId: string): Promise<ContractVersion[]> {
  const { items } = await query<ContractVersion & { pk: string; sk: string }>({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.tenant(tenantId).pk, ':prefix': `CONTRACT#${contractId}#V#` },
    ConsistentRead: true,
  });
  return items.map(({ pk: _pk, sk: _sk, ...version }) => version);
}

const contractVersionKey = (tenantId: string, contractId: string, version: number) => ({
  pk: keys.tenant(tenantId).pk,
  sk: `CONTRACT#${contractId}#V#${String(version).padStart(4, '0')}`,
});

export async function insertContractVersion(tenantId: string, version: ContractVersion): Promise<boolean> {
  return putNew({ ...contractVersionKey(tenantId, version.contractId, version.version), ...version });
}

/** Records one party's confirmation of a version, once (11.1: both parties confirm in writing). */
export async function confirmContractVersion(
  tenantId: string,
  contractId: string,
  version: number,
  party: 'provider' | 'customer',
  confirmation: { at: string; by: string; evidence?: string },
): Promise<ContractVersion | undefined> {
  const field = party === 'provider' ? 'providerConfirmedAt' : 'customerConfirmedAt';
  const updated = await updateIf<ContractVersion & { pk: string; sk: string }>(
    contractVersionKey(tenantId, contractId, version),
    {
      UpdateExpression: `SET ${field} = :at, ${party}Confirmation = :confirmation`,
      ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(${field}) AND attribute_not_exists(terminatedAt)`,
      ExpressionAttributeValues: { ':at': confirmation.at, ':confirmation': confirmation },
    },
  );
  if (!updated) return undefined;
  const { pk: _pk, sk: _sk, ...stored } = updated;
  return stored;
}

export async function terminateContractVersion(
  tenantId: string,
  contractId: string,
  version: number,
  termination: { at: string; ground: string; note?: string },
) {
  return updateIf(contractVersionKey(tenantId, contractId, version), {
    UpdateExpression: 'SET terminatedAt = :at, termination = :termination',
    ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(terminatedAt)',
    ExpressionAttributeValues: { ':at': termination.at, ':termination': termination },
  });
}
