import { ConflictError } from '../shared/errors.ts';
import { deleteItem, getItem, keys, putIf, putItem, queryAll } from './table.ts';

/**
 * What makes storefront deliveries idempotent beyond their ids (which storefronts do not sign,
 * or mint per second): claims on what a signed body identifies, and the status each order was
 * last seen in. Items expire by the table's TTL (`expiresAt`, epoch seconds).
 */

const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

/**
 * Claims `claim` for `requestId` until `until`: the request id that holds the claim is returned
 * (this one if the claim was free or had lapsed, the first claimant's otherwise). A crash after
 * the claim leaves nothing half done: a retry finds the claim and opens that same request.
 */
export async function claimDelivery(
  tenantId: string,
  claim: string,
  requestId: string,
  at: Date,
  until: Date,
): Promise<string> {
  const key = keys.deliveryClaim(tenantId, claim);
  for (let attempt = 0; attempt < 3; attempt++) {
    const claimed = await putIf(
      { ...key, requestId, claimedAt: at.toISOString(), expiresAt: epochSeconds(until) },
      {
        expression: 'attribute_not_exists(pk) OR expiresAt < :now',
        values: { ':now': epochSeconds(at) },
      },
    );
    if (claimed) return requestId;
    const held = await getItem<{ requestId: string; expiresAt: number }>(key, true);
    if (held && held.expiresAt >= epochSeconds(at)) return held.requestId;
  }
  throw new ConflictError('The delivery is being received by another call: retry');
}

export interface OrderSeen {
  status: string;
  /** When the order last changed, as the storefront says (ISO, UTC). */
  modifiedAt: string;
  /** When it entered `status`: what names one stay in that status. */
  enteredAt: string;
  /**
   * The last stay in a status that opens a request (which names that request): what a later
   * move to a withdrawing status cancels.
   */
  opened?: { status: string; enteredAt: string };
  expiresAt: number;
}

/** How long an order's last status is remembered: beyond any after-sales period (warranty, a year). */
const ORDER_MEMORY_DAYS = 400;

/**
 * Records that a storefront order (or return) was in `status` at `modifiedAt` and says which stay
 * in that status this is: `enteredAt`, the same for every update and redelivery while it stays
 * in the status, new when it enters it again after leaving. A delivery older than what was seen
 * (storefronts deliver out of order, and retry for hours) is `stale`: it changes nothing, so an
 * older event never overrides a newer one. `opens`: this status opens a request, and the stay is
 * remembered as the one a withdrawal cancels.
 */
export async function recordOrderStatus(
  tenantId: string,
  storefront: string,
  orderId: string,
  seen: { status: string; modifiedAt: string; opens?: boolean },
  at: Date,
): Promise<{ stale: false; current: OrderSeen } | { stale: true; current: OrderSeen }> {
  const key = keys.storefrontOrder(tenantId, storefront, orderId);
  const expiresAt = epochSeconds(at) + ORDER_MEMORY_DAYS * 86_400;
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await getItem<OrderSeen>(key, true);
    if (current && seen.modifiedAt < current.modifiedAt) return { stale: true, current };
    const sameStay = current?.status === seen.status;
    const enteredAt = sameStay ? current.enteredAt : seen.modifiedAt;
    if (sameStay && seen.modifiedAt === current.modifiedAt) return { stale: false, current };
    const opened = seen.opens ? { status: seen.status, enteredAt } : current?.opened;
    const next: OrderSeen = {
      status: seen.status,
      modifiedAt: seen.modifiedAt,
      enteredAt,
      ...(opened ? { opened } : {}),
      expiresAt,
    };
    const stored = await putIf(
      { ...key, ...next },
      current
        ? { expression: 'modifiedAt = :read', values: { ':read': current.modifiedAt } }
        : { expression: 'attribute_not_exists(pk)' },
    );
    if (stored) return { stale: false, current: next };
  }
  throw new ConflictError(`Order ${orderId} is changing too fast to record: retry`);
}

/** What was last recorded of a storefront order (or return), if anything. */
export const lastSeenOf = (tenantId: string, storefront: string, orderId: string) =>
  getItem<OrderSeen>(keys.storefrontOrder(tenantId, storefront, orderId), true);

/**
 * Remembers that `subjectId` was opened from the storefront's order `orderId`: a customer may
 * change their email in the shop, or never be looked up, so a redaction that names the order
 * (Shopify's `orders_to_redact`) must find the request by the order too. Holds two ids, no
 * personal data, and lives as long as the request (forgotten when the order is redacted).
 */
export async function recordOrderSubject(
  tenantId: string,
  storefront: string,
  orderId: string,
  subjectId: string,
): Promise<void> {
  await putItem({ ...keys.storefrontOrderSubject(tenantId, storefront, orderId, subjectId), subjectId });
}

/** The subjects opened from these orders, each once. */
export async function subjectIdsOfOrders(
  tenantId: string,
  storefront: string,
  orderIds: readonly string[],
): Promise<string[]> {
  const found = new Set<string>();
  for (const orderId of new Set(orderIds)) {
    const links = await queryAll<{ subjectId: string }>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :subject)',
      ExpressionAttributeValues: {
        ':pk': keys.storefrontOrder(tenantId, storefront, orderId).pk,
        ':subject': 'SUBJECT#',
      },
      ConsistentRead: true,
    });
    for (const link of links) found.add(link.subjectId);
  }
  return [...found];
}

/** Forgets which subjects these orders opened (after the orders were redacted). */
export async function forgetOrderSubjects(
  tenantId: string,
  storefront: string,
  orderIds: readonly string[],
): Promise<void> {
  for (const orderId of new Set(orderIds)) {
    const subjectIds = await subjectIdsOfOrders(tenantId, storefront, [orderId]);
    // One by one: an order opens a request or two (and DeleteItem is what the functions may do).
    for (const subjectId of subjectIds)
      await deleteItem(keys.storefrontOrderSubject(tenantId, storefront, orderId, subjectId));
  }
}
