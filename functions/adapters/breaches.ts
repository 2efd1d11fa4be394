import type { Breach } from '#domain/breach.ts';
import { keys, putNew, query, queryAll, updateIf } from './table.ts';

/** Records a missed deadline once: a retried escalation step never counts it twice. */
export async function recordBreach(tenantId: string, breach: Breach): Promise<boolean> {
  return putNew({ ...keys.breach(tenantId, breach.contractId, breach.requestId, breach.promise), ...breach });
}

/**
 * A promise kept late: the breach is met at `metAt`, and recorded now if the deadline passed
 * before any escalation step ran (a ladder whose first level waits, a retry in flight). One
 * update either way, so it is counted once however often it is retried.
 */
export async function recordBreachMet(tenantId: string, breach: Breach & { metAt: string }): Promise<void> {
  const version = breach.contractVersion !== undefined;
  await updateIf(keys.breach(tenantId, breach.contractId, breach.requestId, breach.promise), {
    UpdateExpression:
      'SET promise = if_not_exists(promise, :promise), requestId = if_not_exists(requestId, :requestId), ' +
      'contractId = if_not_exists(contractId, :contractId), deadline = if_not_exists(deadline, :deadline), ' +
      `metAt = if_not_exists(metAt, :metAt)${version ? ', contractVersion = if_not_exists(contractVersion, :version)' : ''}`,
    ExpressionAttributeValues: {
      ':promise': breach.promise,
      ':requestId': breach.requestId,
      ':contractId': breach.contractId,
      ':deadline': breach.deadline,
      ':metAt': breach.metAt,
      ...(version ? { ':version': breach.contractVersion } : {}),
    },
  });
}

/** Every breach filed under a contract with a deadline before `before`, for its statement (10.1.1). */
export async function breachesOfContract(
  tenantId: string,
  contractId: string,
  before: string,
): Promise<Breach[]> {
  const { pk } = keys.breach(tenantId, contractId, '', 'response');
  const items = await queryAll<Breach & { pk: string; sk: string }>({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    FilterExpression: 'deadline < :before',
    ExpressionAttributeValues: { ':pk': pk, ':prefix': 'BREACH#', ':before': before },
    ConsistentRead: true,
  });
  return items.map(({ pk: _pk, sk: _sk, ...breach }) => breach);
}

export async function breachesOfRequest(
  tenantId: string,
  contractId: string,
  requestId: string,
): Promise<Breach[]> {
  const { pk } = keys.breach(tenantId, contractId, requestId, 'response');
  const { items } = await query<Breach & { pk: string; sk: string }>({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk, ':prefix': `BREACH#${requestId}#` },
    ConsistentRead: true,
  });
  return items.map(({ pk: _pk, sk: _sk, ...breach }) => breach);
}

/** The breaches with a deadline in [from, to) under any of `contractIds` (the promise report). */
export async function breachesBetween(
  tenantId: string,
  contractIds: Iterable<string>,
  from: string,
  to: string,
): Promise<Breach[]> {
  const perContract = await Promise.all(
    [...new Set(contractIds)].map((contractId) => breachesOfContract(tenantId, contractId, to)),
  );
  return perContract.flat().filter((breach) => breach.deadline >= from);
}
