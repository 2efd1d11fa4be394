import { now } from './clock.ts';
import { openSecret, sealSecret } from './storefront-secrets.ts';
import { getItem, keys, putItem } from './table.ts';

/**
 * What a create route answered for an `Idempotency-Key` (functions/http/router.ts): a client's
 * retry after a timeout or a 5xx gets the same answer instead of a second object, and the same
 * key with another body is refused. Kept a day (DynamoDB's TTL), as Stripe keeps its keys.
 */
export interface IdempotentAnswer {
  /** The request body's digest: the same key with another body is a mistake to say. */
  digest: string;
  statusCode: number;
  contentType: string;
  body: string;
}

const KEPT_SECONDS = 24 * 3600;
const SEALED_FIELD = 'idempotent-answer';

export async function findAnswer(
  tenantId: string,
  operationId: string,
  key: string,
): Promise<IdempotentAnswer | undefined> {
  const found = await getItem<IdempotentAnswer & { sealed?: boolean; expiresAt: number }>(
    keys.idempotency(tenantId, operationId, key),
  );
  // DynamoDB deletes an expired item within days, not at once (and dynalite never).
  if (!found || found.expiresAt * 1000 <= now().getTime()) return undefined;
  const body = found.sealed ? await openSecret(tenantId, SEALED_FIELD, found.body) : found.body;
  return { digest: found.digest, statusCode: found.statusCode, contentType: found.contentType, body };
}

/** Keeps the answer; `sealed` for one that shows a secret once (a new API key), sealed at rest. */
export async function keepAnswer(
  tenantId: string,
  operationId: string,
  key: string,
  answer: IdempotentAnswer,
  at: Date,
  options: { sealed?: boolean } = {},
): Promise<void> {
  await putItem({
    ...keys.idempotency(tenantId, operationId, key),
    ...answer,
    ...(options.sealed ? { body: await sealSecret(tenantId, SEALED_FIELD, answer.body), sealed: true } : {}),
    expiresAt: Math.floor(at.getTime() / 1000) + KEPT_SECONDS,
  });
}
