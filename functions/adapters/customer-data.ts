import { earliestNeededUntil, type HeldSubject } from '#domain/personal-data.ts';
import type { Customer } from '#domain/service-request.ts';
import { periodicSurveyKey } from './periodic-surveys.ts';
import {
  deleteItem,
  getItem,
  getItems,
  keys,
  putItem,
  putNew,
  query,
  queryAll,
  queryPage,
  updateIf,
} from './table.ts';

/**
 * Clause 12: where everything held about one customer is found. A customer's partition
 * (`TENANT#t#CUSTOMER#<email>`) holds, besides their campaign schedules (customers.ts):
 *
 * - `SUBJECT#<id>`: one entry per request, feedback case or periodic survey that names them,
 *   written before the subject itself, so nothing about them can exist without its entry (an
 *   entry whose subject never got written points at nothing, and is passed over);
 * - `CUSTOMER`: until when a promise needs their details, indexed by that time (byTime
 *   `TENANT#t#CUSTOMERS`), which is how the daily run finds whose data has been kept long enough.
 *
 * Export, erasure, retention and Shopify's privacy webhooks all start here.
 */

const customerPk = (tenantId: string, email: string) => keys.customer(tenantId, email).pk;
const retentionIndexKey = (tenantId: string) => `TENANT#${tenantId}#CUSTOMERS`;

/**
 * Notes, before the subject is written, that `subjectId` names this customer and how long their
 * details are needed at least (never moved back). Idempotent: a retried intake writes the same.
 */
export async function recordCustomerSubject(
  tenantId: string,
  email: string,
  subjectId: string,
  subject: HeldSubject,
): Promise<void> {
  // As if it ended at once: the daily run reads how it stands before it anonymizes anything.
  const until = earliestNeededUntil(subject);
  // Two items, neither depending on the other: written at once (intake's latency).
  await Promise.all([
    putItem({ pk: customerPk(tenantId, email), sk: `SUBJECT#${subjectId}`, subjectId }),
    setNeededUntil(tenantId, email, until, 'attribute_not_exists(neededUntil) OR neededUntil < :until'),
  ]);
}

/** Moves a customer's need to what their subjects say now (the daily run's check before it anonymizes). */
export const postponeCustomerReview = (tenantId: string, email: string, neededUntil: string) =>
  setNeededUntil(tenantId, email, neededUntil, 'attribute_exists(pk)');

async function setNeededUntil(tenantId: string, email: string, until: string, condition: string) {
  await updateIf(
    { pk: customerPk(tenantId, email), sk: 'CUSTOMER' },
    {
      UpdateExpression: 'SET neededUntil = :until, gsi2pk = :index, gsi2sk = :sort',
      ConditionExpression: condition,
      ExpressionAttributeValues: {
        ':until': until,
        ':index': retentionIndexKey(tenantId),
        ':sort': `${until}#${email.toLowerCase()}`,
      },
    },
  );
}

/** The ids of every subject noted for a customer. */
export async function customerSubjectIds(tenantId: string, email: string): Promise<string[]> {
  const items = await queryAll<{ subjectId: string }>({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': customerPk(tenantId, email), ':prefix': 'SUBJECT#' },
    ConsistentRead: true,
  });
  return items.map((item) => item.subjectId);
}

/** Everything else in a customer's partition (their campaign schedules, their retention record). */
export async function customerRecords(tenantId: string, email: string) {
  return queryAll<Record<string, unknown> & { pk: string; sk: string }>({
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': customerPk(tenantId, email) },
    ConsistentRead: true,
  });
}

/** Deletes a customer's partition, last of an erasure: until then, a retry finds what is left. */
export async function deleteCustomerRecords(tenantId: string, email: string): Promise<void> {
  for (const item of await customerRecords(tenantId, email)) await deleteItem({ pk: item.pk, sk: item.sk });
}

/**
 * Forgets that these subjects name `email` (they were erased through another address: a customer
 * who changed theirs); the partition goes whole when no subject of it is left.
 */
export async function forgetCustomerSubjects(
  tenantId: string,
  email: string,
  subjectIds: readonly string[],
): Promise<void> {
  const erased = new Set(subjectIds);
  const left = (await customerSubjectIds(tenantId, email)).filter((id) => !erased.has(id));
  if (left.length === 0) return deleteCustomerRecords(tenantId, email);
  for (const subjectId of subjectIds)
    await deleteItem({ pk: customerPk(tenantId, email), sk: `SUBJECT#${subjectId}` });
}

/** A page of the tenant's customers whose details were needed until before `before`, earliest first. */
export async function customersNeededUntilBefore(
  tenantId: string,
  before: string,
  options: { limit: number; after?: Record<string, unknown> },
): Promise<{ customers: { email: string; neededUntil: string }[]; after?: Record<string, unknown> }> {
  const page = await query<{ gsi2sk: string }>({
    IndexName: 'byTime',
    KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :before',
    ExpressionAttributeValues: { ':pk': retentionIndexKey(tenantId), ':before': before },
    Limit: options.limit,
    ExclusiveStartKey: options.after,
  });
  return {
    customers: page.items.map(({ gsi2sk }) => {
      const cut = gsi2sk.indexOf('#');
      return { neededUntil: gsi2sk.slice(0, cut), email: gsi2sk.slice(cut + 1) };
    }),
    after: page.cursor,
  };
}

/** The partition holding a request, a feedback case or a periodic survey (its item and timeline pages). */
export function subjectPartition(tenantId: string, subjectId: string): string {
  if (subjectId.startsWith('sr_')) return keys.request(tenantId, subjectId).pk;
  if (subjectId.startsWith('fb_')) return keys.feedbackCase(tenantId, subjectId).pk;
  if (subjectId.startsWith('ps_')) return periodicSurveyKey(tenantId, subjectId).pk;
  throw new Error(`not a subject id: ${subjectId}`);
}

export type StoredItem = Record<string, unknown> & { pk: string; sk: string };

/** What retention reads of a request, a feedback case or a periodic survey. */
export interface SubjectFields {
  customer?: Customer;
  customerErasedAt?: string;
  status?: string;
  channel?: string;
  receivedAt?: string;
  closedAt?: string;
  cancelledAt?: string;
  deliveryDate?: string;
  terms?: { warrantyMonths: number };
  invitedAt?: string;
  expiresAt?: string;
}
export type SubjectItem = StoredItem & SubjectFields;

/** What retention needs to know of a stored request, feedback case or periodic survey. */
export function heldSubjectOf(subjectId: string, item: SubjectFields): HeldSubject {
  if (subjectId.startsWith('sr_'))
    return {
      type: 'request',
      status: String(item.status),
      receivedAt: String(item.receivedAt),
      endedAt: item.closedAt ?? item.cancelledAt,
      deliveryDate: item.deliveryDate,
      warrantyMonths: item.terms?.warrantyMonths ?? 0,
    };
  if (subjectId.startsWith('fb_'))
    return {
      type: 'feedback',
      status: String(item.status),
      receivedAt: String(item.receivedAt),
      closedAt: item.closedAt,
    };
  return { type: 'survey', invitedAt: String(item.invitedAt), expiresAt: String(item.expiresAt) };
}

/** Every item of a subject's partition, as stored. */
export const subjectItems = (tenantId: string, subjectId: string) =>
  queryAll<StoredItem>({
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': subjectPartition(tenantId, subjectId) },
    ConsistentRead: true,
  });

/**
 * Writes what anonymizing changed in an item (only those attributes), if the item has not
 * changed since it was read: same status and timeline length (every step changes one or the
 * other); false if it has. Only the changed attributes are written because a burst's park moves
 * the subject's wake-up and watch entry without a timeline event: a whole-item put made from an
 * earlier read brought back a watch the park had removed, and the reconciler restarted the ended
 * lifecycle at its next run (#34).
 */
export async function replaceItem(anonymized: StoredItem, read: StoredItem): Promise<boolean> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const set: string[] = [];
  const remove: string[] = [];
  const attributes = [...new Set([...Object.keys(read), ...Object.keys(anonymized)])];
  attributes.forEach((attribute, i) => {
    if (JSON.stringify(read[attribute]) === JSON.stringify(anonymized[attribute])) return;
    names[`#a${i}`] = attribute;
    if (anonymized[attribute] === undefined) remove.push(`#a${i}`);
    else {
      values[`:a${i}`] = anonymized[attribute];
      set.push(`#a${i} = :a${i}`);
    }
  });
  if (set.length + remove.length === 0) return true;
  const conditions = ['attribute_exists(pk)'];
  if (Array.isArray(read.timeline)) {
    conditions.push('size(timeline) = :events');
    values[':events'] = read.timeline.length;
  }
  if (typeof read.status === 'string') {
    conditions.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = read.status;
  }
  const updated = await updateIf(
    { pk: read.pk, sk: read.sk },
    {
      UpdateExpression: [
        set.length ? `SET ${set.join(', ')}` : '',
        remove.length ? `REMOVE ${remove.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(' '),
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: Object.keys(values).length > 0 ? values : undefined,
    },
  );
  return updated !== undefined;
}

/** A page of all the tenant's customers (those with anything held), in the retention index's order. */
export const allCustomers = (tenantId: string, options: { limit: number; after?: Record<string, unknown> }) =>
  customersNeededUntilBefore(tenantId, '\uffff', options);

/** Shopify asked for a shop's customers to be erased (`shop/redact`); where the daily run got to. */
export interface ShopRedaction {
  shopDomain: string;
  requestedAt: string;
  after?: Record<string, unknown>;
}

const shopRedactionKey = (tenantId: string) => ({ pk: keys.tenant(tenantId).pk, sk: 'SHOP-REDACTION' });

export const shopRedactionOf = (tenantId: string) => getItem<ShopRedaction>(shopRedactionKey(tenantId));

/**
 * That a shop sent `shop/redact` (it uninstalled the app 48 hours before): kept for good, so a
 * request of that shop still waiting to read its customer ends instead of polling a shop that is
 * gone (#33).
 */
const shopRedactedKey = (tenantId: string, shopDomain: string) => ({
  pk: keys.tenant(tenantId).pk,
  sk: `SHOP-REDACTED#${shopDomain}`,
});
export async function recordShopRedacted(tenantId: string, shopDomain: string, at: Date): Promise<void> {
  await putNew({ ...shopRedactedKey(tenantId, shopDomain), shopDomain, redactedAt: at.toISOString() });
}
export async function shopRedactedAt(tenantId: string, shopDomain: string): Promise<string | undefined> {
  return (await getItem<{ redactedAt: string }>(shopRedactedKey(tenantId, shopDomain)))?.redactedAt;
}

/** Records the redaction to do, or where it got to; undefined: it is done. */
export async function setShopRedaction(
  tenantId: string,
  redaction: ShopRedaction | undefined,
): Promise<void> {
  if (redaction) await putItem({ ...shopRedactionKey(tenantId), ...redaction });
  else await deleteItem(shopRedactionKey(tenantId));
}

// --- data requests (a storefront asked for a customer's data) --------------------------------

/** A data request and the export made for it when it came, kept for the merchant to hand over. */
export interface DataRequest {
  dataRequestId: string;
  source: string;
  receivedAt: string;
  email: string;
  subjects: number;
  /** The export, gzipped JSON; absent when even that was too large for an item (made again when read). */
  export?: Uint8Array;
  /** When the merchant first fetched the export (handed over). */
  readAt?: string;
  /**
   * When the customer was erased after asking (a later `customers/redact`): the export is kept
   * until the merchant fetches it once, then deleted (#33), or expires with the request.
   */
  customerErasedAt?: string;
}

/** Shopify gives the merchant 30 days to answer a data request; kept a while longer. */
const DATA_REQUEST_RETENTION_SECONDS = 60 * 86_400;
/** An item is at most 400 KB: what is larger is made again when read. */
const MAX_STORED_EXPORT_BYTES = 350_000;

const dataRequestsPk = (tenantId: string) => `TENANT#${tenantId}#DATA-REQUESTS`;

/** Records a data request once (a redelivery keeps the first); false if it was recorded already. */
export async function recordDataRequest(tenantId: string, request: DataRequest, at: Date): Promise<boolean> {
  const fits = (request.export?.byteLength ?? 0) <= MAX_STORED_EXPORT_BYTES;
  return putNew({
    pk: dataRequestsPk(tenantId),
    sk: request.dataRequestId,
    ...request,
    email: request.email.toLowerCase(),
    export: fits ? request.export : undefined,
    expiresAt: Math.floor(at.getTime() / 1000) + DATA_REQUEST_RETENTION_SECONDS,
  });
}

export async function getDataRequest(
  tenantId: string,
  dataRequestId: string,
): Promise<DataRequest | undefined> {
  return getItem<DataRequest>({ pk: dataRequestsPk(tenantId), sk: dataRequestId });
}

export async function dataRequestsPage(
  tenantId: string,
  page: { limit: number; cursor?: string },
): Promise<{ items: Omit<DataRequest, 'export'>[]; nextCursor?: string }> {
  const pk = dataRequestsPk(tenantId);
  const { items, nextCursor } = await queryPage<DataRequest>(
    {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ProjectionExpression: 'dataRequestId, #source, receivedAt, email, subjects, readAt, customerErasedAt',
      ExpressionAttributeNames: { '#source': 'source' },
    },
    { ...page, partition: { attribute: 'pk', value: pk } },
  );
  return { items, nextCursor };
}

/** Records a shop's redaction to do, once: a redelivered `shop/redact` does not start it over. */
export const startShopRedaction = (tenantId: string, redaction: ShopRedaction) =>
  putNew({ ...shopRedactionKey(tenantId), ...redaction });

/** Data requests the tenant has not been told of yet (the daily run tells them). */
export async function dataRequestsNotNotified(tenantId: string): Promise<DataRequest[]> {
  return queryAll<DataRequest>({
    KeyConditionExpression: 'pk = :pk',
    FilterExpression: 'attribute_not_exists(notifiedAt)',
    ExpressionAttributeValues: { ':pk': dataRequestsPk(tenantId) },
    ProjectionExpression: 'dataRequestId, #source, receivedAt, subjects, customerErasedAt',
    ExpressionAttributeNames: { '#source': 'source' },
  });
}

export async function markDataRequestNotified(tenantId: string, dataRequestId: string, at: Date) {
  await updateIf(
    { pk: dataRequestsPk(tenantId), sk: dataRequestId },
    {
      UpdateExpression: 'SET notifiedAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':at': at.toISOString() },
    },
  );
}

/**
 * The data requests about an address whose customer is erased: a request already handed over is
 * deleted with its export; one the merchant has not fetched yet is kept until they do (the
 * customer asked for their data before asking to be forgotten, and is owed the answer: #33),
 * marked so that its notice and its answer say the customer was erased since.
 */
export async function eraseDataRequestsOf(tenantId: string, email: string, at: Date): Promise<void> {
  const pk = dataRequestsPk(tenantId);
  const items = await queryAll<{ pk: string; sk: string; readAt?: string }>({
    KeyConditionExpression: 'pk = :pk',
    FilterExpression: 'email = :email',
    ExpressionAttributeValues: { ':pk': pk, ':email': email.toLowerCase() },
    ProjectionExpression: 'pk, sk, readAt',
  });
  for (const { pk: itemPk, sk, readAt } of items) {
    if (readAt) await deleteItem({ pk: itemPk, sk });
    else
      await updateIf(
        { pk: itemPk, sk },
        {
          UpdateExpression: 'SET customerErasedAt = if_not_exists(customerErasedAt, :at)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at.toISOString() },
        },
      );
  }
}

/** The merchant fetched the export: handed over (one kept only for that, its customer erased, goes now). */
export async function dataRequestHandedOver(tenantId: string, request: DataRequest, at: Date): Promise<void> {
  const key = { pk: dataRequestsPk(tenantId), sk: request.dataRequestId };
  if (request.customerErasedAt) await deleteItem(key);
  else if (!request.readAt)
    await updateIf(key, {
      UpdateExpression: 'SET readAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':at': at.toISOString() },
    });
}

/** A subject's own item's key (not its timeline pages or messages). */
export function subjectKey(tenantId: string, subjectId: string): { pk: string; sk: string } {
  if (subjectId.startsWith('sr_')) return keys.request(tenantId, subjectId);
  if (subjectId.startsWith('fb_')) return keys.feedbackCase(tenantId, subjectId);
  return periodicSurveyKey(tenantId, subjectId);
}

/**
 * The items of a customer's subjects, newest first: each subject's own item only, read in
 * batches; those that name another address now (changed or erased since) are passed over.
 */
export async function customerSubjectItems(
  tenantId: string,
  email: string,
  limit = 200,
): Promise<SubjectItem[]> {
  const ids = (await customerSubjectIds(tenantId, email)).slice(-limit);
  const items = await getItems<SubjectItem>(ids.map((id) => subjectKey(tenantId, id)));
  const address = email.toLowerCase();
  return items
    .filter((item): item is SubjectItem => item?.customer?.email.toLowerCase() === address)
    .sort((a, b) =>
      String(b.receivedAt ?? b.invitedAt ?? '').localeCompare(String(a.receivedAt ?? a.invitedAt ?? '')),
    );
}
