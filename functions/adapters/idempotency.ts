import { now } from './clock.ts';
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

/**
 * Seals and opens an answer that shows a secret once (a new API key): the tenant API passes its
 * storefront-secrets sealing (functions/adapters/storefront-secrets.ts), so no other function
 * carries the key or its parameter read.
 */
export interface AnswerSealer {
  seal(tenantId: string, body: string): Promise<string>;
  open(tenantId: string, sealed: string): Promise<string>;
}

export async function findAnswer(
  tenantId: string,
  operationId: string,
  key: string,
  sealer?: AnswerSealer,
): Promise<IdempotentAnswer | undefined> {
  const found = await getItem<IdempotentAnswer & { sealed?: boolean; expiresAt: number }>(
    keys.idempotency(tenantId, operationId, key),
  );
  // DynamoDB deletes an expired item within days, not at once (and dynalite never).
  if (!found || found.expiresAt * 1000 <= now().getTime()) return undefined;
  if (found.sealed && !sealer) throw new Error('A sealed answer needs its sealer to be read');
  const body = found.sealed && sealer ? await sealer.open(tenantId, found.body) : found.body;
  return { digest: found.digest, statusCode: found.statusCode, contentType: found.contentType, body };
}

/** Keeps the answer; with a sealer, sealed at rest (it shows a secret once: a new API key). */
export async function keepAnswer(
  tenantId: string,
  operationId: string,
  key: string,
  answer: IdempotentAnswer,
  at: Date,
  sealer?: AnswerSealer,
): Promise<void> {
  await putItem({
    ...keys.idempotency(tenantId, operationId, key),
    ...answer,
    ...(sealer ? { body: await sealer.seal(tenantId, answer.body), sealed: true } : {}),
    expiresAt: Math.floor(at.getTime() / 1000) + KEPT_SECONDS,
  });
}
