import type { Breach } from '../../domain/breach.ts';
import { keys, putNew, query, updateIf } from './table.ts';

/** Records a missed deadline once: a retried escalation step never counts it twice. */
export async function recordBreach(tenantId: string, breach: Breach): Promise<boolean> {
  return putNew({ ...keys.breach(tenantId, breach.contractId, breach.requestId, breach.promise), ...breach });
}

/** Marks an open breach as met (the promise finally kept); harmless when there is none. */
export async function closeBreach(
  tenantId: string,
  contractId: string,
  requestId: string,
  promise: Breach['promise'],
  metAt: string,
) {
  await updateIf(keys.breach(tenantId, contractId, requestId, promise), {
    UpdateExpression: 'SET metAt = :metAt',
    ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(metAt)',
    ExpressionAttributeValues: { ':metAt': metAt },
  });
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
