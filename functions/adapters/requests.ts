import { randomBytes } from 'node:crypto';
import type { AppliedTerms } from '../../domain/contract.ts';
import type { SurveyTimes } from '../../domain/lifecycle.ts';
import type { ServiceRecord } from '../../domain/service-record.ts';
import type {
  Channel,
  Customer,
  Language,
  RequestKind,
  RequestStatus,
} from '../../domain/service-request.ts';
import type { SurveyAnswer } from '../../domain/survey.ts';
import { START_GRACE_SECONDS, WATCH_ENTRY_FIELDS, watchEntry } from './lifecycle-watch.ts';
import {
  applyStep,
  fullTimeline,
  getItem,
  keys,
  putNew,
  query,
  queryAll,
  type StepUpdate,
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
export interface StoredRequest {
  tenantId: string;
  requestId: string;
  kind: RequestKind;
  status: RequestStatus;
  customer: Customer;
  orderReference?: string;
  productReference?: string;
  deliveryDate?: string;
  description: string;
  channel: Channel;
  terms: AppliedTerms;
  assigneeId?: string;
  receivedAt: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  dispatch?: Dispatch;
  completedAt?: string;
  serviceRecord?: ServiceRecord;
  closedAt?: string;
  cancelledAt?: string;
  escalationsTaken: string[];
  confirmationSent: boolean;
  serviceRecordDelivered: boolean;
  callbackToken?: string;
  /** Which execution of the lifecycle runs it: 0 first, one more each time the reconciler restarts a failed one. */
  lifecycleGeneration?: number;
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

/** Time-sortable and safe in an execution name: `sr_` + base36 ms + 10 random hex. */
export function newRequestId(at: Date): string {
  return `sr_${at.getTime().toString(36)}${randomBytes(5).toString('hex')}`;
}

const statusIndexKeys = (tenantId: string, status: RequestStatus, receivedAt: string, requestId: string) => ({
  gsi1pk: keys.requestsByStatus(tenantId, status),
  gsi1sk: `${receivedAt}#${requestId}`,
});

/**
 * Stores a new request, already watched: if its lifecycle does not start (Step Functions
 * unreachable, a crash between the two), the reconciler finds it and starts it.
 */
export async function insertRequest(request: StoredRequest): Promise<boolean> {
  const lookAt = new Date(Date.parse(request.receivedAt) + START_GRACE_SECONDS * 1000);
  return putNew({
    ...keys.request(request.tenantId, request.requestId),
    ...statusIndexKeys(request.tenantId, request.status, request.receivedAt, request.requestId),
    ...watchEntry(request.tenantId, 'request', request.requestId, lookAt),
    ...request,
  });
}

export async function getRequest(tenantId: string, requestId: string): Promise<StoredRequest | undefined> {
  const item = await getItem<StoredRequest & Record<string, unknown>>(keys.request(tenantId, requestId));
  return item ? stripKeys(item) : undefined;
}

export async function listRequestsByStatus(
  tenantId: string,
  status: RequestStatus,
  limit = 50,
): Promise<StoredRequest[]> {
  const { items } = await query<StoredRequest & Record<string, unknown>>({
    IndexName: 'byStatus',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.requestsByStatus(tenantId, status) },
    Limit: limit,
  });
  return items.map(stripKeys);
}

const stripKeys = (item: StoredRequest & Record<string, unknown>): StoredRequest => withoutKeys(item);

/** Closed and cancelled requests need no lifecycle: they leave the watch. */
const TERMINAL: readonly RequestStatus[] = ['closed', 'cancelled'];

/**
 * Moves a request from one of `from` to `to`, setting `fields` and appending `event`, in one
 * conditional write (applyStep), keeping the by-status index in step. Undefined when the
 * request was not in an allowed status (or not found).
 */
export async function transitionRequest(
  current: Pick<StoredRequest, 'tenantId' | 'requestId' | 'receivedAt'>,
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
        ...statusIndexKeys(current.tenantId, change.to, current.receivedAt, current.requestId),
      },
      event: change.event,
      extraCondition: change.extraCondition,
      remove: TERMINAL.includes(change.to) ? WATCH_ENTRY_FIELDS : undefined,
    },
  );
  return updated ? stripKeys(updated) : undefined;
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
  return updated ? stripKeys(updated) : undefined;
}

/** Every event of a request, oldest first, however many were moved out of its item. */
export const requestTimeline = (request: StoredRequest): Promise<TimelineEvent[]> =>
  fullTimeline(keys.request(request.tenantId, request.requestId), request);

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
