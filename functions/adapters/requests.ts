import { randomBytes } from 'node:crypto';
import type { AppliedTerms } from '#domain/contract.ts';
import type { CustomerLookup } from '#domain/customer-lookup.ts';
import { currentDeadline } from '#domain/deadlines.ts';
import type { SurveyTimes } from '#domain/lifecycle.ts';
import type { RequestFact } from '#domain/promise-report.ts';
import { openRequestStatuses } from '#domain/request-status.ts';
import type { ServiceRecord } from '#domain/service-record.ts';
import {
  type Channel,
  type Customer,
  type Language,
  type RequestKind,
  type RequestStatus,
  requestStatuses,
} from '#domain/service-request.ts';
import type { SurveyAnswer } from '#domain/survey.ts';
import type { WorklistFact } from '#domain/worklist.ts';
import {
  type BurstFields,
  START_GRACE_SECONDS,
  WATCH_ENTRY_FIELDS,
  watchEntry,
  withoutBursts,
} from './lifecycle-watch.ts';
import type { Suppression } from './suppressions.ts';
import {
  applyStep,
  decodeCursor,
  encodeCursor,
  fullTimeline,
  getItem,
  InvalidCursorError,
  keys,
  putNew,
  query,
  queryAll,
  type StepUpdate,
  updateIf,
  withoutKeys,
} from './table.ts';

export interface TimelineEvent {
  at: string;
  type: string;
  actor: string;
  details?: Record<string, unknown>;
}

export interface Dispatch {
  technicianId: string;
  mode: 'on_site' | 'remote';
  scheduledFor?: string;
  dispatchedAt: string;
  dispatchedBy: string;
}

/** A service request as stored: one item, its timeline inside it so a change and its event are one write. */
export interface StoredRequest extends BurstFields {
  tenantId: string;
  requestId: string;
  kind: RequestKind;
  status: RequestStatus;
  /** Absent only while `customerLookup` runs: a storefront delivery that named its customer by id. */
  customer?: Customer;
  /** Present while the customer's details are looked up from the storefront ("customer details pending"). */
  customerLookup?: CustomerLookup;
  /** The customer's address bounced for good or complained (functions/email-events): no more email to it. */
  customerEmailUndeliverable?: Suppression;
  /** When the storefront closed its side (a Shopify return closed), noted once. */
  storefrontReturnClosedAt?: string;
  orderReference?: string;
  productReference?: string;
  deliveryDate?: string;
  description: string;
  channel: Channel;
  terms: AppliedTerms;
  assigneeId?: string;
  /** When it was last assigned (#37): names the assignee's email, so a retried assignment sends it once. */
  assignedAt?: string;
  assignedBy?: string;
  receivedAt: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  dispatch?: Dispatch;
  completedAt?: string;
  serviceRecord?: ServiceRecord;
  closedAt?: string;
  cancelledAt?: string;
  escalationsTaken: string[];
  /**
   * Taken, while the request is acknowledged or dispatched, before the confirmation of the need
   * is sent (functions/shared/confirm-need.ts): a cancel that comes first stops it; one that
   * comes after finds it and the customer is told of the cancellation.
   */
  confirmationClaimedAt?: string;
  confirmationSent: boolean;
  /** A cancellation the customer need not hear of (their data is being erased). */
  cancelledQuietly?: true;
  /** When the customer was told that a request they were told is confirmed is cancelled. */
  cancellationToldAt?: string;
  serviceRecordDelivered: boolean;
  /** sha-256 of what created it, when created with an Idempotency-Key: a reuse for something else is refused. */
  intakeDigest?: string;
  /** Events moved out of the item to archive pages (see functions/adapters/table.ts). */
  timelineArchived?: number;
  /** The satisfaction survey (7.1): invitation times and, once given, the answer. */
  survey?: SurveyTimes & {
    language: Language;
    answer?: SurveyAnswer;
    answeredVia?: 'web' | 'phone';
    answeredBy?: string;
  };
  timeline: TimelineEvent[];
}

/** A request whose customer is known: what every customer email needs. */
export type RequestWithCustomer = StoredRequest & { customer: Customer };

export const hasCustomer = (request: StoredRequest): request is RequestWithCustomer =>
  request.customer !== undefined;

/**
 * The customer, where the lifecycle guarantees one by now (a service record is delivered only
 * to a known customer, and surveys follow it): a clear error, not an email to `undefined`.
 */
export function customerOf(request: StoredRequest): Customer {
  if (!request.customer) throw new Error(`request ${request.requestId} has no customer yet`);
  return request.customer;
}

/** Time-sortable and safe in an execution name: `sr_` + base36 ms + 10 random hex. */
export function newRequestId(at: Date): string {
  return `sr_${at.getTime().toString(36)}${randomBytes(5).toString('hex')}`;
}

/** What a request's place in the byStatus index is made from. */
type IndexedRequest = Pick<StoredRequest, 'tenantId' | 'requestId' | 'receivedAt' | 'terms'>;

/**
 * A request's place in its status's list: an open one by the deadline of the promise it waits
 * on (the worklist's order, soonest first: #37), the others by receipt (reports read them by
 * period received, the daily run unlists old ones).
 */
function statusIndexKeys(request: IndexedRequest, status: RequestStatus) {
  const due = currentDeadline(status, new Date(request.receivedAt), request.terms);
  return {
    gsi1pk: keys.requestsByStatus(request.tenantId, status),
    gsi1sk: `${due ? due.deadline.toISOString() : request.receivedAt}#${request.requestId}`,
  };
}

/**
 * Stores a new request, already watched: if its lifecycle does not start (Step Functions
 * unreachable, a crash between the two), the reconciler finds it and starts it.
 */
export async function insertRequest(request: StoredRequest): Promise<boolean> {
  const lookAt = new Date(Date.parse(request.receivedAt) + START_GRACE_SECONDS * 1000);
  return putNew({
    ...keys.request(request.tenantId, request.requestId),
    ...statusIndexKeys(request, request.status),
    ...watchEntry(request.tenantId, 'request', request.requestId, lookAt),
    ...request,
  });
}

export async function getRequest(tenantId: string, requestId: string): Promise<StoredRequest | undefined> {
  const item = await getItem<StoredRequest & Record<string, unknown>>(keys.request(tenantId, requestId));
  return item ? requestFromItem(item) : undefined;
}

/** What a worklist narrows to (#37): each given criterion must hold. */
export interface RequestFilter {
  kind?: string;
  channel?: string;
  /** A staff id (assigned, or dispatched to when no one is assigned), or `none`. */
  assignee?: string;
  /** Words in the id, order, product or the customer's name, email or phone (as written). */
  q?: string;
  /** Open requests only: their current promise is due before this instant (ISO). */
  dueBefore?: string;
}

/** The filter as DynamoDB's FilterExpression (and the key condition's upper bound). */
function filterExpression(filter: RequestFilter): {
  FilterExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  values: Record<string, unknown>;
} {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (filter.kind) {
    conditions.push('#kind = :kind');
    names['#kind'] = 'kind';
    values[':kind'] = filter.kind;
  }
  if (filter.channel) {
    conditions.push('#channel = :channel');
    names['#channel'] = 'channel';
    values[':channel'] = filter.channel;
  }
  if (filter.assignee === 'none')
    conditions.push('attribute_not_exists(assigneeId) AND attribute_not_exists(dispatch)');
  else if (filter.assignee) {
    conditions.push(
      '(assigneeId = :assignee OR (attribute_not_exists(assigneeId) AND dispatch.technicianId = :assignee))',
    );
    values[':assignee'] = filter.assignee;
  }
  if (filter.q) {
    names['#name'] = 'name';
    conditions.push(
      `(${[
        'requestId',
        'orderReference',
        'productReference',
        'customer.#name',
        'customer.email',
        'customer.phone',
      ]
        .map((field) => `contains(${field}, :q)`)
        .join(' OR ')})`,
    );
    values[':q'] = filter.q;
  }
  return conditions.length === 0
    ? { values }
    : {
        FilterExpression: conditions.join(' AND '),
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
        values,
      };
}

/** Pages of one status's partition a filtered read goes through at most, per page asked. */
const FILTERED_PAGES = 10;

/**
 * A page of a tenant's requests in some statuses, merged in the byStatus index's order: open ones
 * soonest deadline first (the worklist's order), ended ones by receipt, oldest first or newest
 * first (closed and cancelled ones, where the latest matter). A filter is applied as each
 * partition is read (a page can then come back short, with a cursor: read on). The cursor holds,
 * per status, where its partition was left (or that it is done).
 */
export async function requestsPage(
  tenantId: string,
  statuses: readonly RequestStatus[],
  page: { limit: number; cursor?: string; newestFirst?: boolean; filter?: RequestFilter },
): Promise<{ items: StoredRequest[]; nextCursor?: string }> {
  const starts = decodeMergedCursor(tenantId, statuses, page.cursor);
  const { values: filterValues, ...filtering } = filterExpression(page.filter ?? {});
  const dueBefore = page.filter?.dueBefore;
  const pages = await Promise.all(
    statuses.map(async (status) => {
      const start = starts[status];
      if (start === null) return { status, items: [], cursor: undefined };
      const items: (StoredRequest & Record<string, unknown>)[] = [];
      let cursor: Record<string, unknown> | undefined = start;
      for (let read = 0; read < (filtering.FilterExpression ? FILTERED_PAGES : 1); read++) {
        const result = await query<StoredRequest & Record<string, unknown>>({
          IndexName: 'byStatus',
          KeyConditionExpression: dueBefore ? 'gsi1pk = :pk AND gsi1sk < :due' : 'gsi1pk = :pk',
          ...filtering,
          ExpressionAttributeValues: {
            ':pk': keys.requestsByStatus(tenantId, status),
            ...(dueBefore ? { ':due': new Date(dueBefore).toISOString() } : {}),
            ...filterValues,
          },
          Limit: filtering.FilterExpression ? Math.max(page.limit, 200) : page.limit,
          ScanIndexForward: !page.newestFirst,
          ExclusiveStartKey: cursor,
        });
        items.push(...result.items);
        cursor = result.cursor;
        if (!cursor || items.length >= page.limit) break;
      }
      return { status, items, cursor };
    }),
  );
  const order = page.newestFirst ? -1 : 1;
  const taken = pages
    .flatMap((p) => p.items)
    .sort((a, b) => order * String(a.gsi1sk).localeCompare(String(b.gsi1sk)))
    .slice(0, page.limit);
  const next: Record<string, Record<string, unknown> | null | undefined> = {};
  for (const p of pages) {
    if (starts[p.status] === null) {
      next[p.status] = null;
      continue;
    }
    const last = taken.filter((item) => item.status === p.status).at(-1);
    // All it read was taken: on from where the read stopped (past what the filter left out).
    if (p.items.every((item) => taken.includes(item))) next[p.status] = p.cursor ?? null;
    else next[p.status] = last ? indexKeyOf(last) : starts[p.status];
  }
  const done = statuses.every((status) => next[status] === null);
  return {
    items: taken.map(requestFromItem),
    nextCursor: done ? undefined : encodeCursor({ merged: JSON.stringify(next) }),
  };
}

const indexKeyOf = (item: Record<string, unknown>) => ({
  pk: item.pk,
  sk: item.sk,
  gsi1pk: item.gsi1pk,
  gsi1sk: item.gsi1sk,
});

/** Per status: where to start (undefined: from the beginning; null: done). */
function decodeMergedCursor(
  tenantId: string,
  statuses: readonly RequestStatus[],
  cursor: string | undefined,
): Partial<Record<RequestStatus, Record<string, unknown> | null>> {
  if (!cursor) return {};
  let starts: Record<string, unknown>;
  try {
    const outer = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { merged?: string };
    starts = JSON.parse(String(outer.merged)) as Record<string, unknown>;
  } catch {
    throw new InvalidCursorError('not a cursor this API gave');
  }
  const result: Partial<Record<RequestStatus, Record<string, unknown> | null>> = {};
  for (const status of statuses) {
    const start = starts[status];
    if (start === null || start === undefined) {
      result[status] = start as null | undefined;
      continue;
    }
    // The same check as for any cursor: the key lies in this tenant's partition of this status.
    result[status] = decodeCursor(encodeCursor(start as Record<string, unknown>), {
      attribute: 'gsi1pk',
      value: keys.requestsByStatus(tenantId, status),
    });
  }
  if (Object.keys(starts).some((status) => !statuses.includes(status as RequestStatus)))
    throw new InvalidCursorError('a cursor of another list');
  return result;
}

/** A request as the table holds it, as the domain sees it. */
export const requestFromItem = (item: object): StoredRequest => withoutKeys(item as StoredRequest);

/**
 * Closed and cancelled requests need no lifecycle: they leave the watch, unless the transition
 * sets a watch entry of its own (a cancellation the customer is still to hear of).
 */
const TERMINAL: readonly RequestStatus[] = ['closed', 'cancelled'];

/**
 * Moves a request from one of `from` to `to`, setting `fields` and appending `event`, in one
 * conditional write (applyStep), keeping the by-status index in step. Undefined when the
 * request was not in an allowed status (or not found).
 */
export async function transitionRequest(
  current: IndexedRequest,
  change: {
    from: readonly RequestStatus[];
    to: RequestStatus;
    fields?: Record<string, unknown>;
    event: TimelineEvent;
    extraCondition?: string;
  },
): Promise<StoredRequest | undefined> {
  const updated = await applyStep<StoredRequest & Record<string, unknown>>(
    keys.request(current.tenantId, current.requestId),
    {
      requireStatus: change.from,
      fields: {
        ...change.fields,
        status: change.to,
        ...statusIndexKeys(current, change.to),
      },
      event: change.event,
      extraCondition: change.extraCondition,
      remove: TERMINAL.includes(change.to)
        ? WATCH_ENTRY_FIELDS.filter((field) => change.fields?.[field] === undefined)
        : undefined,
    },
  );
  return updated ? requestFromItem(updated) : undefined;
}

/**
 * Sets fields and appends an event without a status change, once (see applyStep): e.g.
 * `onceFlag: 'confirmationSent'` or `onceEscalation: ['response#1']`. Undefined when already done.
 */
export async function recordStep(
  tenantId: string,
  requestId: string,
  step: StepUpdate & {
    onceFlag?: 'confirmationSent' | 'serviceRecordDelivered';
    requireStatus?: readonly RequestStatus[];
  },
): Promise<StoredRequest | undefined> {
  const updated = await applyStep<StoredRequest & Record<string, unknown>>(
    keys.request(tenantId, requestId),
    step,
  );
  return updated ? requestFromItem(updated) : undefined;
}

/**
 * How long a closed or cancelled request stays in the by-status index, and so in
 * `GET /v1/requests?status=closed|cancelled`: after that it leaves the index (it is sparse), so the
 * index holds the open work and the recent past, not every request ever. The request itself
 * stays, read by its id, in reports and in exports.
 */
export const CLOSED_LISTED_DAYS = 90;

/**
 * Takes closed and cancelled requests that ended before `endedBefore` out of the by-status
 * index, at most `limit` of them (the daily run takes the rest on later days); how many it took.
 * Conditional on the status, so a retried run takes nothing twice.
 */
export async function unlistEndedRequests(
  tenantId: string,
  endedBefore: string,
  limit: number,
): Promise<number> {
  let unlisted = 0;
  // Requests received long ago but ended recently are read and passed over: at most this many
  // pages a run, so a tenant with many of them costs a bounded run (the rest wait a day).
  let pagesLeft = Math.ceil(limit / 100) * 4;
  for (const [status, endedAt] of [
    ['closed', 'closedAt'],
    ['cancelled', 'cancelledAt'],
  ] as const) {
    let start: Record<string, unknown> | undefined;
    do {
      // Received before the cutoff (the sort key starts with receivedAt): what ended before it is among them.
      const page = await query<{ pk: string; sk: string }>({
        IndexName: 'byStatus',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk < :cutoff',
        FilterExpression: '#ended < :cutoff',
        ExpressionAttributeNames: { '#ended': endedAt },
        ExpressionAttributeValues: { ':pk': keys.requestsByStatus(tenantId, status), ':cutoff': endedBefore },
        ProjectionExpression: 'pk, sk',
        Limit: 100,
        ExclusiveStartKey: start,
      });
      for (const item of page.items) {
        if (unlisted >= limit) return unlisted;
        const removed = await updateIf(item, {
          UpdateExpression: 'REMOVE gsi1pk, gsi1sk',
          ConditionExpression: '#status = :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status },
        });
        if (removed) unlisted += 1;
      }
      start = page.cursor;
    } while (start && unlisted < limit && --pagesLeft > 0);
  }
  return unlisted;
}

/**
 * Every event of a request, oldest first, however many were moved out of its item. The bursts
 * of its lifecycle are the operator's history (`npm run tenant -- lifecycle-history`), not staff's.
 */
export const requestTimeline = async (
  request: StoredRequest,
  options: { bursts?: boolean } = {},
): Promise<TimelineEvent[]> =>
  withoutBursts(await fullTimeline(keys.request(request.tenantId, request.requestId), request), options);

/** The byTime index partition of a tenant's survey invitations (reports, 7.2.2). */
export const surveysIndexKey = (tenantId: string) => `TENANT#${tenantId}#SURVEYS`;

/**
 * The surveys sent after requests in [from, to), as the report reads them: only the kind and
 * the survey's invitation and answer are fetched, not the requests' timelines.
 */
export async function requestSurveysBetween(
  tenantId: string,
  from: string,
  to: string,
): Promise<{ kind: StoredRequest['kind']; invitedAt: string; answer?: SurveyAnswer }[]> {
  const items = await queryAll<Pick<StoredRequest, 'kind' | 'survey'>>({
    IndexName: 'byTime',
    KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
    ProjectionExpression: '#kind, #survey.#invitedAt, #survey.#answer',
    ExpressionAttributeNames: {
      '#kind': 'kind',
      '#survey': 'survey',
      '#invitedAt': 'invitedAt',
      '#answer': 'answer',
    },
    ExpressionAttributeValues: { ':pk': surveysIndexKey(tenantId), ':from': from, ':to': to },
  });
  return items.flatMap(({ kind, survey }) =>
    survey && survey.invitedAt < to ? [{ kind, invitedAt: survey.invitedAt, answer: survey.answer }] : [],
  );
}

/**
 * What the promise report (domain/promise-report.ts) needs of each request received in
 * [from, to), from the by-status index. Ended requests sort there by receipt, so their period is
 * a key range; open ones sort by deadline (the worklist's order), so their partitions are read
 * whole and filtered by receipt (what is open is a small part of a tenant's requests). A closed or
 * cancelled request leaves that index CLOSED_LISTED_DAYS after it ended, so months further back
 * count the requests still listed.
 */
export async function requestFactsBetween(
  tenantId: string,
  from: string,
  to: string,
): Promise<RequestFact[]> {
  const pages = await Promise.all(
    requestStatuses.map((status) => {
      const open = (openRequestStatuses as readonly string[]).includes(status);
      return queryAll<RequestFact>({
        IndexName: 'byStatus',
        KeyConditionExpression: open ? 'gsi1pk = :pk' : 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
        ...(open ? { FilterExpression: 'receivedAt BETWEEN :from AND :to' } : {}),
        ProjectionExpression: '#status, receivedAt, terms, acknowledgedAt, completedAt',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':pk': keys.requestsByStatus(tenantId, status),
          ':from': from,
          ':to': to,
        },
      });
    }),
  );
  return pages.flat().filter((fact) => fact.receivedAt < to);
}

/**
 * One fact per open request of a tenant (domain/worklist.ts), read from the byStatus index: its
 * sort key starts with the current promise's deadline. Every open entry is read (keys and three
 * attributes returned; the entries' whole size is what DynamoDB counts).
 */
export async function openWorklistFacts(tenantId: string): Promise<WorklistFact[]> {
  const pages = await Promise.all(
    openRequestStatuses.map((status) =>
      queryAll<{ gsi1sk: string; assigneeId?: string; dispatch?: { technicianId?: string } }>({
        IndexName: 'byStatus',
        KeyConditionExpression: 'gsi1pk = :pk',
        ProjectionExpression: 'gsi1sk, assigneeId, dispatch.technicianId',
        ExpressionAttributeValues: { ':pk': keys.requestsByStatus(tenantId, status) },
      }).then((items) =>
        items.map((item) => ({
          status,
          dueAt: item.gsi1sk.slice(0, item.gsi1sk.indexOf('#')),
          assignee: item.assigneeId ?? item.dispatch?.technicianId,
        })),
      ),
    ),
  );
  return pages.flat();
}

/**
 * Open requests whose place in the byStatus index is not the deadline of the promise they wait
 * on (indexed by receipt before #37, or their terms changed): moved to it, each by a write that
 * holds only while the request stands where it was read. The daily run calls it, so a deployment
 * upgraded in place sorts and filters its worklist right from the next day without a manual step.
 */
export async function reindexOpenRequests(tenantId: string): Promise<number> {
  let moved = 0;
  for (const status of openRequestStatuses) {
    const items = await queryAll<StoredRequest & { pk: string; sk: string; gsi1sk: string }>({
      IndexName: 'byStatus',
      KeyConditionExpression: 'gsi1pk = :pk',
      ProjectionExpression: 'pk, sk, gsi1sk, requestId, tenantId, receivedAt, terms',
      ExpressionAttributeValues: { ':pk': keys.requestsByStatus(tenantId, status) },
    });
    for (const item of items) {
      const expected = statusIndexKeys(item, status).gsi1sk;
      if (item.gsi1sk === expected) continue;
      const updated = await updateIf(
        { pk: item.pk, sk: item.sk },
        {
          UpdateExpression: 'SET gsi1sk = :expected',
          ConditionExpression: '#status = :status AND gsi1sk = :read',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':expected': expected, ':status': status, ':read': item.gsi1sk },
        },
      );
      if (updated) moved += 1;
    }
  }
  return moved;
}
