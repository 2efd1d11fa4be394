import type { ContractVersion } from '#domain/contract.ts';
import type { Installment, Payment } from '#domain/late-fees.ts';
import { deleteItem, getItem, keys, putItem, putNew, query, queryAll, updateIf } from './table.ts';

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

// --- payments (10.1.2) -------------------------------------------------------------------------

const scheduleKey = (tenantId: string, contractId: string) => ({
  pk: keys.tenant(tenantId).pk,
  sk: `SCHEDULE#${contractId}`,
});
const paymentKey = (tenantId: string, contractId: string, reference: string) => ({
  pk: `TENANT#${tenantId}#CONTRACT#${contractId}`,
  sk: `PAYMENT#${reference}`,
});

/** The contract's payment schedule, replaced whole (an amendment of the payment terms). */
export async function savePaymentSchedule(
  tenantId: string,
  contractId: string,
  installments: readonly Installment[],
  at: string,
): Promise<void> {
  await putItem({ ...scheduleKey(tenantId, contractId), tenantId, contractId, installments, updatedAt: at });
}

export async function paymentScheduleOf(tenantId: string, contractId: string): Promise<Installment[]> {
  const item = await getItem<{ installments: Installment[] }>(scheduleKey(tenantId, contractId));
  return item?.installments ?? [];
}

/** Every contract of the tenant that has a payment schedule (the daily run's reminders). */
export async function paymentSchedules(
  tenantId: string,
): Promise<{ contractId: string; installments: Installment[] }[]> {
  const items = await queryAll<{ contractId: string; installments: Installment[] }>({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.tenant(tenantId).pk, ':prefix': 'SCHEDULE#' },
  });
  return items.map(({ contractId, installments }) => ({ contractId, installments }));
}

/**
 * Records a payment received, once per reference: the same payment recorded again is answered
 * as it was; another payment under a reference already used is refused (undefined).
 */
export async function recordPayment(
  tenantId: string,
  contractId: string,
  payment: Payment,
  at: string,
): Promise<{ payment: Payment; created: boolean } | undefined> {
  const key = paymentKey(tenantId, contractId, payment.reference);
  if (await putNew({ ...key, ...payment, recordedAt: at })) return { payment, created: true };
  const stored = await getItem<Payment>(key);
  if (stored && stored.paidOn === payment.paidOn && stored.amount === payment.amount)
    return {
      payment: { paidOn: stored.paidOn, amount: stored.amount, reference: stored.reference },
      created: false,
    };
  return undefined;
}

export async function paymentsOf(tenantId: string, contractId: string): Promise<Payment[]> {
  const items = await queryAll<Payment>({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': paymentKey(tenantId, contractId, '').pk, ':prefix': 'PAYMENT#' },
    ConsistentRead: true,
  });
  return items.map(({ paidOn, amount, reference }) => ({ paidOn, amount, reference }));
}

// --- retention (12.1) --------------------------------------------------------------------------

/** Every contract of the tenant with all its versions (contracts are few: a tenant's customers under contract). */
export async function contractsOfTenant(tenantId: string): Promise<Map<string, ContractVersion[]>> {
  const items = await queryAll<ContractVersion & { pk: string; sk: string }>({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.tenant(tenantId).pk, ':prefix': 'CONTRACT#' },
  });
  const contracts = new Map<string, ContractVersion[]>();
  for (const { pk: _pk, sk: _sk, ...version } of items)
    contracts.set(version.contractId, [...(contracts.get(version.contractId) ?? []), version]);
  return contracts;
}

/**
 * Deletes a contract's data: its breaches and payments first, its schedule, then its versions
 * (last, so a retry after a failure still finds the contract and deletes the rest).
 */
export async function deleteContractData(
  tenantId: string,
  contract: readonly ContractVersion[],
): Promise<number> {
  const contractId = contract[0]!.contractId;
  const ledger = await queryAll<{ pk: string; sk: string }>({
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': paymentKey(tenantId, contractId, '').pk },
    ProjectionExpression: 'pk, sk',
  });
  const itemKeys = [
    ...ledger,
    scheduleKey(tenantId, contractId),
    ...contract.map((v) => contractVersionKey(tenantId, contractId, v.version)),
  ];
  for (const key of itemKeys) await deleteItem(key);
  return itemKeys.length;
}
