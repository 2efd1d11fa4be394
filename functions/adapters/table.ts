import { setTimeout as pause } from 'node:timers/promises';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../shared/errors.ts';
import { config } from './config.ts';

/**
 * The one DynamoDB access layer. Every write is a conditional single-item operation (no
 * transactions: dynalite has none, and on AWS they cost twice), so each step's idempotency is
 * explicit in its condition.
 */

/** A hung connection becomes an error a step retries, well inside a step's time. */
const documentClient = DynamoDBDocumentClient.from(
  new DynamoDBClient({ requestHandler: { requestTimeout: 5_000, connectionTimeout: 2_000 } }),
  {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  },
);

/**
 * What this process has consumed, as DynamoDB reports it (every call asks for
 * ReturnConsumedCapacity INDEXES): read units, and write units of the table and of each index.
 * The bench's cost model reads it; a conditional write that fails still costs a write unit.
 */
export interface CapacityConsumed {
  /** Calls made (each a round trip on AWS, which the bench's cost model adds to Lambda's time). */
  calls: number;
  readUnits: number;
  tableWriteUnits: number;
  indexWriteUnits: Record<string, number>;
}
const consumed: CapacityConsumed = { calls: 0, readUnits: 0, tableWriteUnits: 0, indexWriteUnits: {} };

export const capacityConsumed = (): CapacityConsumed => structuredClone(consumed);

type Capacity = {
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
};
const READS = /^(Get|BatchGet|Query|Scan)/;

documentClient.middlewareStack.add(
  (next, context) => async (args) => {
    const reading = READS.test(context.commandName ?? '');
    consumed.calls += 1;
    (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'INDEXES';
    try {
      const result = await next(args);
      const reported = (result.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity;
      for (const capacity of [reported ?? []].flat()) {
        if (reading) consumed.readUnits += capacity.CapacityUnits ?? 0;
        else {
          consumed.tableWriteUnits += capacity.Table?.CapacityUnits ?? capacity.CapacityUnits ?? 0;
          for (const [index, units] of Object.entries(capacity.GlobalSecondaryIndexes ?? {}))
            consumed.indexWriteUnits[index] =
              (consumed.indexWriteUnits[index] ?? 0) + (units.CapacityUnits ?? 0);
        }
      }
      return result;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') consumed.tableWriteUnits += 1;
      throw error;
    }
  },
  { step: 'initialize', name: 'meterConsumedCapacity' },
);

export type Item = Record<string, unknown>;

/** The table's key and index attributes: never part of what an adapter hands out. */
const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk'] as const;

/** An item as the domain sees it: the table's keys and index attributes removed. */
export function withoutKeys<T>(item: T & Partial<Record<(typeof KEY_ATTRIBUTES)[number], unknown>>): T {
  const copy: Record<string, unknown> = { ...item };
  for (const attribute of KEY_ATTRIBUTES) delete copy[attribute];
  return copy as T;
}

/** Key builders: every partition key starts with the tenant, so no query can cross tenants. */
export const keys = {
  tenant: (tenantId: string) => ({ pk: `TENANT#${tenantId}`, sk: 'PROFILE' }),
  apiKey: (tenantId: string, keyId: string) => ({ pk: `TENANT#${tenantId}`, sk: `APIKEY#${keyId}` }),
  /** The tenant's own sending domain (functions/adapters/sending-domains.ts). */
  sendingDomain: (tenantId: string) => ({ pk: `TENANT#${tenantId}`, sk: 'SENDING-DOMAIN' }),
  request: (tenantId: string, requestId: string) => ({
    pk: `TENANT#${tenantId}#REQUEST#${requestId}`,
    sk: 'REQUEST',
  }),
  requestsByStatus: (tenantId: string, status: string) => `TENANT#${tenantId}#STATUS#${status}`,
  feedbackByStatus: (tenantId: string, status: string) => `TENANT#${tenantId}#FEEDBACK-STATUS#${status}`,
  breach: (tenantId: string, contractId: string, requestId: string, promise: string) => ({
    pk: `TENANT#${tenantId}#CONTRACT#${contractId}`,
    sk: `BREACH#${requestId}#${promise}`,
  }),
  email: (tenantId: string, idempotencyKey: string) => ({
    pk: `TENANT#${tenantId}#EMAIL#${idempotencyKey}`,
    sk: 'EMAIL',
  }),
  customer: (tenantId: string, email: string) => ({
    pk: `TENANT#${tenantId}#CUSTOMER#${email.toLowerCase()}`,
    sk: 'CUSTOMER',
  }),
  feedbackCase: (tenantId: string, feedbackId: string) => ({
    pk: `TENANT#${tenantId}#FEEDBACK#${feedbackId}`,
    sk: 'FEEDBACK',
  }),
  /** What a storefront delivery claimed for a while (functions/adapters/storefront-deliveries.ts). */
  deliveryClaim: (tenantId: string, claim: string) => ({
    pk: `TENANT#${tenantId}#DELIVERY#${claim}`,
    sk: 'DELIVERY',
  }),
  /** An address SES bounced for good or a recipient complained from: no more email to it. */
  suppressedAddress: (tenantId: string, address: string) => ({
    pk: `TENANT#${tenantId}#SUPPRESSED#${address.toLowerCase()}`,
    sk: 'SUPPRESSED',
  }),
  /** The last status a storefront order was seen in. */
  storefrontOrder: (tenantId: string, storefront: string, orderId: string) => ({
    pk: `TENANT#${tenantId}#ORDER#${storefront}#${orderId}`,
    sk: 'ORDER',
  }),
  /** A request opened from a storefront order: how the order's redaction finds it (Shopify's `orders_to_redact`). */
  storefrontOrderSubject: (tenantId: string, storefront: string, orderId: string, subjectId: string) => ({
    pk: `TENANT#${tenantId}#ORDER#${storefront}#${orderId}`,
    sk: `SUBJECT#${subjectId}`,
  }),
  /** A create route's answer to one Idempotency-Key (functions/adapters/idempotency.ts). */
  idempotency: (tenantId: string, operationId: string, key: string) => ({
    pk: `TENANT#${tenantId}#IDEMPOTENCY#${operationId}#${key}`,
    sk: 'IDEMPOTENCY',
  }),
  /** The byDue partition of what a tenant's lifecycles watch (functions/adapters/lifecycle-watch.ts). */
  watch: (tenantId: string) => `TENANT#${tenantId}#WATCH`,
};

/**
 * The keys of every item in the partitions under these prefixes (`TENANT#acme` and `TENANT#acme#…`,
 * not `TENANT#acme2`), by one parallel scan of the table: DynamoDB finds partitions by prefix only
 * so. For the operator's rare deletions, never a request path.
 */
export async function scanKeys(
  prefixes: readonly string[],
  segments = 4,
): Promise<{ pk: string; sk: string }[]> {
  const values: Record<string, string> = {};
  const filter = prefixes
    .map((prefix, i) => {
      values[`:p${i}`] = prefix;
      values[`:u${i}`] = `${prefix}#`;
      return `pk = :p${i} OR begins_with(pk, :u${i})`;
    })
    .join(' OR ');
  const scanSegment = async (segment: number) => {
    const found: { pk: string; sk: string }[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await documentClient.send(
        new ScanCommand({
          TableName: config().TABLE_NAME,
          FilterExpression: filter,
          ExpressionAttributeValues: values,
          ProjectionExpression: 'pk, sk',
          ExclusiveStartKey: start,
          Segment: segment,
          TotalSegments: segments,
        }),
      );
      found.push(...((page.Items ?? []) as { pk: string; sk: string }[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return found;
  };
  return (await Promise.all(Array.from({ length: segments }, (_, i) => scanSegment(i)))).flat();
}

/** Deletes one item (nothing if it is not there). */
export async function deleteItem(key: { pk: string; sk: string }): Promise<void> {
  await documentClient.send(new DeleteCommand({ TableName: config().TABLE_NAME, Key: key }));
}

/** Deletes items by key, 25 to a batch, retrying what DynamoDB leaves unprocessed. */
export async function deleteItems(itemKeys: readonly { pk: string; sk: string }[]): Promise<void> {
  for (let i = 0; i < itemKeys.length; i += 25) {
    let requests = itemKeys.slice(i, i + 25).map((key) => ({ DeleteRequest: { Key: key } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt >= 10) throw new Error('DynamoDB kept items unprocessed: retry the deletion');
      const result = await documentClient.send(
        new BatchWriteCommand({ RequestItems: { [config().TABLE_NAME]: requests } }),
      );
      requests = (result.UnprocessedItems?.[config().TABLE_NAME] ?? []) as typeof requests;
    }
  }
}

export async function getItem<T = Item>(
  key: { pk: string; sk: string },
  consistent = true,
): Promise<T | undefined> {
  const result = await documentClient.send(
    new GetCommand({ TableName: config().TABLE_NAME, Key: key, ConsistentRead: consistent }),
  );
  return result.Item as T | undefined;
}

/**
 * Several items by key in one call (BatchGetItem, at most 100 distinct keys), in the order
 * asked (a key asked twice is read once), undefined where there is none. Keys DynamoDB leaves
 * unprocessed (throttled) are asked again after a short pause.
 */
export async function getItems<T = Item>(
  itemKeys: readonly { pk: string; sk: string }[],
  consistent = true,
): Promise<(T | undefined)[]> {
  const table = config().TABLE_NAME;
  const keyOf = (key: { pk: unknown; sk: unknown }) => `${key.pk}\u0000${key.sk}`;
  const found = new Map<string, T>();
  let asking = [...new Map(itemKeys.map((key) => [keyOf(key), key])).values()];
  for (let attempt = 0; asking.length > 0; attempt++) {
    if (attempt >= 10) throw new Error('DynamoDB kept keys unprocessed: try again');
    if (attempt > 0) await pause(25 * 2 ** attempt);
    const result = await documentClient.send(
      new BatchGetCommand({ RequestItems: { [table]: { Keys: asking, ConsistentRead: consistent } } }),
    );
    for (const item of result.Responses?.[table] ?? [])
      found.set(keyOf(item as { pk: unknown; sk: unknown }), item as T);
    asking = (result.UnprocessedKeys?.[table]?.Keys ?? []) as typeof asking;
  }
  return itemKeys.map((key) => found.get(keyOf(key)));
}

/** Creates an item only if none has its key; false when it already existed. */
export async function putNew(item: Item & { pk: string; sk: string }): Promise<boolean> {
  try {
    await documentClient.send(
      new PutCommand({
        TableName: config().TABLE_NAME,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export async function putItem(item: Item & { pk: string; sk: string }): Promise<void> {
  await documentClient.send(new PutCommand({ TableName: config().TABLE_NAME, Item: item }));
}

/** Replaces an item only if a condition holds on the one stored; false when it did not. */
export async function putIf(
  item: Item & { pk: string; sk: string },
  condition: { expression: string; names?: Record<string, string>; values?: Record<string, unknown> },
): Promise<boolean> {
  try {
    await documentClient.send(
      new PutCommand({
        TableName: config().TABLE_NAME,
        Item: item,
        ConditionExpression: condition.expression,
        ExpressionAttributeNames: condition.names,
        ExpressionAttributeValues: condition.values,
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * A conditional update; returns the item after the update, or undefined when the condition
 * failed (the caller decides whether that is a conflict or an already-done step).
 */
export async function updateIf<T = Item>(
  key: { pk: string; sk: string },
  update: Omit<UpdateCommandInput, 'TableName' | 'Key' | 'ReturnValues'>,
): Promise<T | undefined> {
  try {
    const result = await documentClient.send(
      new UpdateCommand({ TableName: config().TABLE_NAME, Key: key, ReturnValues: 'ALL_NEW', ...update }),
    );
    return result.Attributes as T;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

export async function query<T = Item>(
  input: Omit<QueryCommandInput, 'TableName'>,
): Promise<{ items: T[]; cursor?: Record<string, unknown> }> {
  const result = await documentClient.send(new QueryCommand({ TableName: config().TABLE_NAME, ...input }));
  return { items: (result.Items ?? []) as T[], cursor: result.LastEvaluatedKey };
}

/**
 * A cursor as clients see it: opaque (base64url of the key to start after). Decoding checks that
 * the key belongs to the partition being read: a cursor cannot reach another tenant's items.
 */
export function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export class InvalidCursorError extends DomainError {
  constructor(why: string) {
    super(400, 'InvalidCursor', `The cursor is not valid: ${why}`, { cursor: [why] });
  }
}

export function decodeCursor(
  cursor: string,
  partition: { attribute: string; value: string },
): Record<string, unknown> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('not a cursor this API gave');
  }
  const ok =
    key !== null &&
    typeof key === 'object' &&
    !Array.isArray(key) &&
    (key as Record<string, unknown>)[partition.attribute] === partition.value &&
    Object.values(key as Record<string, unknown>).every((v) => typeof v === 'string' && v.length <= 2048);
  if (!ok) throw new InvalidCursorError('not a cursor of this list');
  return key as Record<string, unknown>;
}

/** One page of a query within one partition, and the cursor of the next (absent on the last). */
export async function queryPage<T = Item>(
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Limit'>,
  page: { limit: number; cursor?: string; partition: { attribute: string; value: string } },
): Promise<{ items: T[]; nextCursor?: string }> {
  const { items, cursor } = await query<T>({
    ...input,
    Limit: page.limit,
    ExclusiveStartKey: page.cursor ? decodeCursor(page.cursor, page.partition) : undefined,
  });
  return { items, nextCursor: cursor ? encodeCursor(cursor) : undefined };
}

/** Every item a query finds, page after page. */
export async function queryAll<T = Item>(
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): Promise<T[]> {
  const found: T[] = [];
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await query<T>({ ...input, ExclusiveStartKey: cursor });
    found.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return found;
}

/** One step on a tracked item (a request, a feedback case): what it sets and what makes it happen once. */
export interface StepUpdate {
  /** A boolean attribute that must still be false, and is set true. */
  onceFlag?: string;
  /**
   * Escalation keys appended to `escalationsTaken`; the first must not be there yet (the others
   * ride along, e.g. the reminder day marked with the top level).
   */
  onceEscalation?: readonly string[];
  fields?: Record<string, unknown>;
  /** Top-level attributes removed in the same write (e.g. an index entry that no longer applies). */
  remove?: readonly string[];
  /** Appended to the item's `timeline` in the same write. */
  event?: { at: string; type: string; actor: string; details?: Record<string, unknown> };
  requireStatus?: readonly string[];
  /**
   * Attributes (scalars; nested paths allowed) that must still hold what the caller read
   * (undefined: must be absent): the optimistic check that stops two writers both believing they
   * won (e.g. two take-overs).
   */
  expect?: Record<string, unknown>;
  /** Numbers that must be absent or at most this (a generation that may have moved on by one). */
  expectAtMost?: Record<string, number>;
  /** One more condition, in DynamoDB syntax (names/values it uses must be in `fields`-free form). */
  extraCondition?: string;
}

/**
 * A timeline lives in its item (a change and its event are one write), but an item may not pass
 * 400 KB on AWS and a request dispatched thousands of times would. Past this many events the
 * oldest are moved to archive items under the same partition, a page at a time.
 */
const TIMELINE_IN_ITEM_MAX = 100;
const TIMELINE_PAGE = 50;
const timelinePageKey = (pk: string, firstIndex: number) => ({
  pk,
  sk: `TIMELINE#${String(firstIndex).padStart(10, '0')}`,
});

type WithTimeline = { timeline?: unknown[]; timelineArchived?: number };

/**
 * Moves the oldest page of a long timeline out of its item. Two writes, safe to repeat: the page
 * is keyed by the index of its first event (a second attempt finds it written), and the events
 * leave the item only if no one archived them meanwhile. A page written but not yet removed is
 * not read (see fullTimeline), so no event is ever shown twice.
 */
async function archiveOldestEvents(key: { pk: string; sk: string }, item: WithTimeline): Promise<void> {
  const archived = item.timelineArchived ?? 0;
  const page = (item.timeline ?? []).slice(0, TIMELINE_PAGE);
  await putNew({ ...timelinePageKey(key.pk, archived), of: key.sk, events: page });
  // The rest is written whole, on the condition that the timeline is still the one read (any
  // append changes its size): portable, where removing list elements by index is not.
  const timeline = item.timeline ?? [];
  await updateIf(key, {
    UpdateExpression: 'SET timelineArchived = :next, timeline = :rest',
    ConditionExpression: `${archived === 0 ? 'attribute_not_exists(timelineArchived)' : 'timelineArchived = :archived'} AND size(timeline) = :size`,
    ExpressionAttributeValues: {
      ':next': archived + page.length,
      ':rest': timeline.slice(page.length),
      ':size': timeline.length,
      ...(archived === 0 ? {} : { ':archived': archived }),
    },
  });
}

/** An item's whole timeline, oldest first: its archived pages, then what the item holds. */
export async function fullTimeline<E>(
  key: { pk: string; sk: string },
  item: { timeline: E[]; timelineArchived?: number },
): Promise<E[]> {
  const archived = item.timelineArchived ?? 0;
  if (archived === 0) return item.timeline;
  const pages = await queryAll<{ sk: string; of: string; events: E[] }>({
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
    ExpressionAttributeValues: {
      ':pk': key.pk,
      ':first': timelinePageKey(key.pk, 0).sk,
      ':last': timelinePageKey(key.pk, archived - 1).sk,
    },
    ConsistentRead: true,
  });
  return [...pages.filter((p) => p.of === key.sk).flatMap((p) => p.events), ...item.timeline];
}

/** Applies a step in one conditional write; undefined when its condition failed (already done, or moved on). */
export async function applyStep<T = Item>(
  key: { pk: string; sk: string },
  step: StepUpdate,
): Promise<T | undefined> {
  const updated = await applyStepOnce<T>(key, step);
  const timeline = (updated as WithTimeline | undefined)?.timeline;
  if (Array.isArray(timeline) && timeline.length > TIMELINE_IN_ITEM_MAX) {
    // Best effort: the step itself is done; a failed archive is made by the next write.
    await archiveOldestEvents(key, updated as WithTimeline).catch(() => undefined);
  }
  return updated;
}

async function applyStepOnce<T>(key: { pk: string; sk: string }, step: StepUpdate): Promise<T | undefined> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const conditions = ['attribute_exists(pk)'];
  if (step.onceFlag) {
    names['#flag'] = step.onceFlag;
    values[':true'] = true;
    values[':false'] = false;
    sets.push('#flag = :true');
    conditions.push('#flag = :false');
  }
  if (step.onceEscalation && step.onceEscalation.length > 0) {
    values[':escalation'] = step.onceEscalation[0];
    values[':escalationList'] = [...step.onceEscalation];
    sets.push('escalationsTaken = list_append(escalationsTaken, :escalationList)');
    conditions.push('NOT contains(escalationsTaken, :escalation)');
  }
  if (step.requireStatus) {
    names['#status'] = 'status';
    const allowed = step.requireStatus.map((status, i) => {
      values[`:status${i}`] = status;
      return `:status${i}`;
    });
    conditions.push(`#status IN (${allowed.join(', ')})`);
  }
  // Paths may be nested (`survey.remindedAt`): one placeholder per segment.
  const pathOf = (field: string, prefix: string) =>
    field
      .split('.')
      .map((segment, j) => {
        names[`${prefix}_${j}`] = segment;
        return `${prefix}_${j}`;
      })
      .join('.');
  Object.entries(step.fields ?? {}).forEach(([field, value], i) => {
    const path = pathOf(field, `#f${i}`);
    values[`:f${i}`] = value;
    sets.push(`${path} = :f${i}`);
  });
  if (step.event) {
    values[':event'] = [step.event];
    sets.push('timeline = list_append(timeline, :event)');
  }
  Object.entries(step.expect ?? {}).forEach(([field, value], i) => {
    const path = pathOf(field, `#e${i}`);
    if (value === undefined) {
      conditions.push(`attribute_not_exists(${path})`);
    } else {
      values[`:e${i}`] = value;
      conditions.push(`${path} = :e${i}`);
    }
  });
  Object.entries(step.expectAtMost ?? {}).forEach(([field, value], i) => {
    const path = pathOf(field, `#m${i}`);
    values[`:m${i}`] = value;
    conditions.push(`(attribute_not_exists(${path}) OR ${path} <= :m${i})`);
  });
  if (step.extraCondition) conditions.push(step.extraCondition);
  const removes = (step.remove ?? []).map((field, i) => {
    names[`#r${i}`] = field;
    return `#r${i}`;
  });
  return updateIf<T>(key, {
    UpdateExpression: [
      sets.length > 0 ? `SET ${sets.join(', ')}` : '',
      removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' '),
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: Object.keys(names).length > 0 ? names : undefined,
    ExpressionAttributeValues: values,
  });
}
