import { addDays } from '#domain/calendar-date.ts';
import { futureTimesIn, issueServiceRecord } from '#domain/service-record.ts';
import { canTransition, openRequestStatuses, statusesAllowing } from '#domain/service-request.ts';
import { isQualified, requiredSkill } from '#domain/skills.ts';
import { localDate, startOfLocalDay } from '#domain/working-calendar.ts';
import { type WorklistFact, worklistCounts } from '#domain/worklist.ts';
import { breachesOfRequest } from '../adapters/breaches.ts';
import { now } from '../adapters/clock.ts';
import { customerSubjectItems } from '../adapters/customer-data.ts';
import {
  getRequest,
  openWorklistFacts,
  requestFromItem,
  requestsPage,
  requestTimeline,
  type StoredRequest,
  transitionRequest,
} from '../adapters/requests.ts';
import { withoutKeys } from '../adapters/table.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import { type ContextOf, type OperationId, serveRoutes } from '../http/router.ts';
import { shown } from '../http/show.ts';
import { feedbackSummaryView, periodicSurveyView } from '../http/views.ts';
import { assignRequest, tellDispatchedTechnician } from '../shared/assign.ts';
import { actorOf, tenantOf } from '../shared/caller.ts';
import { cancelServiceRequest } from '../shared/cancel-request.ts';
import { confirmNeedAtOnce } from '../shared/confirm-need.ts';
import { storeCustomerDetails } from '../shared/customer-details.ts';
import { derivedId, digestOf } from '../shared/digests.ts';
import { ConflictError, DomainError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { type Caller, type HttpResult, json } from '../shared/http.ts';
import { openComplaintCase, openServiceRequest } from '../shared/intake.ts';
import { recordSurveyAnswer } from '../shared/survey-answers.ts';
import { takeOverRequest } from '../shared/take-over.ts';
import { wakeRequest } from '../shared/watched-kinds.ts';
import { requestSummary, requestView } from './request-view.ts';
import { requestsApiRoutes } from './routes.ts';

type Context<Id extends OperationId<typeof requestsApiRoutes>> = ContextOf<typeof requestsApiRoutes, Id>;

/** Reads the request of the caller's tenant: another tenant's id is simply not found (no existence leak). */
async function requestOf({
  caller,
  params,
}: {
  caller: Caller;
  params: Record<string, string>;
}): Promise<StoredRequest> {
  const request = await getRequest(caller.tenantId, params.requestId!);
  if (!request) throw new NotFoundError(`request ${params.requestId}`);
  return request;
}

async function view(request: StoredRequest, tenant: StoredTenant) {
  const [breaches, timeline] = await Promise.all([
    breachesOfRequest(request.tenantId, request.terms.contractId, request.requestId),
    requestTimeline(request),
  ]);
  return requestView(request, breaches, timeline, tenant.timeZone, now());
}

function refuseTransition(request: StoredRequest, action: Parameters<typeof statusesAllowing>[0]): never {
  throw new ConflictError(
    `Cannot ${action} a request that is ${request.status} (allowed from: ${statusesAllowing(action).join(', ')})`,
  );
}

/**
 * Staff entry of a request (a phone call, a counter visit): stored, then its lifecycle starts.
 * With an `Idempotency-Key` header, a retry (a timeout, a double click) answers the request the
 * first call made; the same key for a different request is refused.
 */
async function createRequest({
  body: input,
  headers,
  caller,
}: Context<'createRequest'>): Promise<HttpResult> {
  const idempotencyKey = headers['idempotency-key'];
  const tenant = await tenantOf(caller);
  const intakeDigest = idempotencyKey === undefined ? undefined : digestOf(input);
  const { request, created } = await openServiceRequest(tenant, input, {
    receivedAt: now(),
    actor: actorOf(caller),
    requestId:
      idempotencyKey === undefined ? undefined : derivedId('sr', tenant.tenantId, 'api', idempotencyKey),
    intakeDigest,
  });
  if (!created && request.intakeDigest !== intakeDigest)
    throw new DomainError(
      422,
      'IdempotencyKeyReused',
      'This Idempotency-Key was already used for a different request: use a new key for a new request',
      { 'Idempotency-Key': ['already used for a different request'] },
    );
  const result = json(201, await view(request, tenant));
  return created ? result : { ...result, headers: { ...result.headers, 'idempotent-replayed': 'true' } };
}

/**
 * The same person acknowledging again (a retry after a timeout or a 5xx) is answered with the
 * request as it stands, not 409: what they asked for is done (#34). Anyone else is told it was.
 */
const acknowledgedBy = (request: StoredRequest, caller: Caller) =>
  request.acknowledgedBy === actorOf(caller) && request.status !== 'cancelled';

async function acknowledge(context: Context<'acknowledgeRequest'>): Promise<HttpResult> {
  const { caller } = context;
  const request = await requestOf(context);
  if (acknowledgedBy(request, caller)) return json(200, await view(request, await tenantOf(caller)));
  if (!canTransition('acknowledge', request.status)) refuseTransition(request, 'acknowledge');
  const at = now().toISOString();
  const updated = await transitionRequest(request, {
    from: statusesAllowing('acknowledge'),
    to: 'acknowledged',
    // The confirmation is claimed with the response itself: a cancel from now on tells the customer.
    fields: { acknowledgedAt: at, acknowledgedBy: actorOf(caller), confirmationClaimedAt: at },
    event: { at, type: 'acknowledged', actor: actorOf(caller) },
  });
  if (!updated) {
    const current = (await getRequest(request.tenantId, request.requestId)) ?? request;
    if (acknowledgedBy(current, caller)) return json(200, await view(current, await tenantOf(caller)));
    refuseTransition(current, 'acknowledge');
  }
  const tenant = await tenantOf(caller);
  // The customer is told now (6.1.2), so the answer shows the request as it is afterwards.
  const confirmed = await confirmNeedAtOnce(updated, tenant, now());
  await wakeRequest(confirmed);
  return json(200, await view(confirmed, tenant));
}

/** The caller makes the request theirs (the console's "take over"; escalation emails have a link for it). */
async function takeOver(context: Context<'takeOverRequest'>): Promise<HttpResult> {
  const { caller } = context;
  const [request, tenant] = await Promise.all([requestOf(context), tenantOf(caller)]);
  if (!caller.staffId)
    throw new DomainError(
      403,
      'NotStaff',
      'Only a staff member can take a request over: this key names nobody',
    );
  const taken = await takeOverRequest(request, caller.staffId, 'console', now());
  if (taken.outcome === 'not-open')
    throw new ConflictError(`The request is ${taken.request.status}: nothing to take over`);
  if (taken.outcome === 'taken-by-other')
    throw new ConflictError(`${taken.request.assigneeId} took the request over first`);
  return json(200, await view(taken.request, tenant));
}

/** 6.1.3 and 6.2.1a: on-site or remote, by a technician who holds the skill the kind needs. */
async function dispatch(context: Context<'dispatchRequest'>): Promise<HttpResult> {
  const { body: input, caller } = context;
  const [request, tenant] = await Promise.all([requestOf(context), tenantOf(caller)]);
  const technician = tenant.staff.find(
    (s) => s.staffId === input.technicianId && s.roles.includes('technician'),
  );
  if (!technician)
    throw new ValidationError('Unknown technician', { technicianId: ['no technician has this id'] });
  if (!isQualified(technician.skills, request.kind, tenant.requiredSkills)) {
    const skill = requiredSkill(request.kind, tenant.requiredSkills);
    throw new ValidationError(
      `${technician.name} lacks the skill "${skill}" a ${request.kind} request needs`,
      {
        technicianId: [`lacks required skill "${skill}"`],
      },
    );
  }
  if (!canTransition('dispatch', request.status)) refuseTransition(request, 'dispatch');
  const at = now().toISOString();
  const updated = await transitionRequest(request, {
    from: statusesAllowing('dispatch'),
    to: 'dispatched',
    fields: {
      dispatch: {
        technicianId: technician.staffId,
        mode: input.mode,
        scheduledFor: input.scheduledFor,
        dispatchedAt: at,
        dispatchedBy: actorOf(caller),
      },
      assigneeId: technician.staffId,
    },
    event: {
      at,
      type: 'dispatched',
      actor: actorOf(caller),
      details: { technicianId: technician.staffId, mode: input.mode },
    },
  });
  if (!updated)
    refuseTransition((await getRequest(request.tenantId, request.requestId)) ?? request, 'dispatch');
  // The assignee changed: the workflow re-plans its timers (the approaching-deadline warning).
  await wakeRequest(updated);
  await tellDispatchedTechnician(tenant, updated);
  return json(200, await view(updated, tenant));
}

/** #37: a team lead gives the request to a colleague who can do it (shared/assign.ts). */
async function assign(context: Context<'assignRequest'>): Promise<HttpResult> {
  const { body, caller } = context;
  const [request, tenant] = await Promise.all([requestOf(context), tenantOf(caller)]);
  const assigned = await assignRequest(tenant, request, { ...body, actor: actorOf(caller) }, now());
  return json(200, await view(assigned, tenant));
}

/** 6.1.4: completing issues the immutable service record, in the same write as the status change. */
async function complete(context: Context<'completeRequest'>): Promise<HttpResult> {
  const { body: report, caller } = context;
  const [request, tenant] = await Promise.all([requestOf(context), tenantOf(caller)]);
  if (!canTransition('complete', request.status)) refuseTransition(request, 'complete');
  const future = futureTimesIn(report, now());
  if (future) throw new ValidationError('A service record cannot claim work in the future', future);
  const staffIds =
    report.staffIds ??
    [request.dispatch?.technicianId ?? caller.staffId].filter((id): id is string => Boolean(id));
  const staff = staffIds.map((id) => tenant.staff.find((s) => s.staffId === id));
  if (staff.length === 0 || staff.some((s) => s === undefined)) {
    throw new ValidationError('Who did the work is unknown', {
      staffIds: ['give the staff ids of who did the work'],
    });
  }
  const at = now();
  const serviceRecord = issueServiceRecord(
    request.requestId,
    report,
    staff.map((s) => ({ staffId: s!.staffId, name: s!.name })),
    at,
  );
  const updated = await transitionRequest(request, {
    from: statusesAllowing('complete'),
    to: 'completed',
    fields: { completedAt: at.toISOString(), serviceRecord },
    extraCondition: 'attribute_not_exists(serviceRecord)',
    event: {
      at: at.toISOString(),
      type: 'completed',
      actor: actorOf(caller),
      details: { recordNumber: serviceRecord.recordNumber },
    },
  });
  if (!updated)
    refuseTransition((await getRequest(request.tenantId, request.requestId)) ?? request, 'complete');
  await wakeRequest(updated);
  return json(200, await view(updated, tenant));
}

async function cancel(context: Context<'cancelRequest'>): Promise<HttpResult> {
  const { body: input, caller } = context;
  const request = await requestOf(context);
  if (!canTransition('cancel', request.status)) refuseTransition(request, 'cancel');
  const updated = await cancelServiceRequest(request, {
    reason: input.reason,
    actor: actorOf(caller),
    at: now(),
  });
  if (!updated)
    refuseTransition((await getRequest(request.tenantId, request.requestId)) ?? request, 'cancel');
  return json(200, await view(updated, await tenantOf(caller)));
}

/**
 * Staff enter (or correct) who the customer is: a storefront delivery whose customer could not
 * be read from the shop ends its lookup here. What waited for the customer (the confirmation of
 * the need, the service record) goes out now.
 */
async function enterCustomer(context: Context<'enterRequestCustomer'>): Promise<HttpResult> {
  const { body: customer, caller } = context;
  const [request, tenant] = await Promise.all([requestOf(context), tenantOf(caller)]);
  const pending = request.customerLookup !== undefined;
  const at = now();
  const stored = await storeCustomerDetails(
    request,
    { customer },
    {
      at,
      type: pending ? 'customer_details_entered' : 'customer_details_corrected',
      actor: actorOf(caller),
    },
    { onlyWhilePending: false },
  );
  if (!stored) throw new ConflictError(`Cannot change the customer of a request that is ${request.status}`);
  await openComplaintCase(tenant, stored, actorOf(caller));
  const updated = await confirmNeedAtOnce(stored, tenant, at);
  await wakeRequest(updated);
  return json(200, await view(updated, tenant));
}

async function getOne(context: Context<'getRequest'>): Promise<HttpResult> {
  const [request, tenant] = await Promise.all([requestOf(context), tenantOf(context.caller)]);
  return json(200, await view(request, tenant));
}

/**
 * Open requests unless a status is asked for: open ones soonest deadline first, closed and
 * cancelled newest first; narrowed by the worklist's filters (#37).
 */
async function list({ query, caller }: Context<'listRequests'>): Promise<HttpResult> {
  const open = !query.status || (openRequestStatuses as readonly string[]).includes(query.status);
  if (!open && (query.breached || query.dueBefore))
    throw new ValidationError('Only open requests have a current promise to be due or breached', {
      status: ['breached and dueBefore apply to received, acknowledged and dispatched requests'],
    });
  // Both given: the earlier bound holds.
  const bounds = [query.breached ? now().toISOString() : undefined, query.dueBefore]
    .filter((bound): bound is string => bound !== undefined)
    .map((bound) => new Date(bound).toISOString())
    .sort();
  const statuses = query.status ? [query.status] : openRequestStatuses;
  const page = await requestsPage(caller.tenantId, statuses, {
    limit: query.limit,
    cursor: query.cursor,
    newestFirst: query.status === 'closed' || query.status === 'cancelled',
    filter: {
      kind: query.kind,
      channel: query.channel,
      assignee: query.assignee,
      q: query.q,
      dueBefore: bounds[0],
    },
  });
  return json(200, { items: page.items.map(requestSummary), nextCursor: page.nextCursor });
}

/**
 * #37: one customer's every request, feedback case and periodic survey, newest first, found
 * through their partition (the same index export and erasure use); the read is on the access trail.
 */
async function customerHistory({ params, caller }: Context<'getCustomerHistory'>): Promise<HttpResult> {
  const items = await customerSubjectItems(caller.tenantId, params.email);
  // Nothing held about them here (or they were erased): no such customer, as for any other object.
  if (items.length === 0) throw new NotFoundError(`customer ${params.email}`);
  // What each item is, by its sort key (a case names its request too: ids would mislead).
  const of = (sk: string) => items.filter((item) => item.sk === sk);
  return json(200, {
    email: params.email,
    customer: items[0]?.customer,
    requests: of('REQUEST').map((item) => requestSummary(requestFromItem(item))),
    feedbackCases: of('FEEDBACK').map((item) => shown(feedbackSummaryView, withoutKeys(item))),
    periodicSurveys: of('SURVEY').map((item) => shown(periodicSurveyView, withoutKeys(item))),
  });
}

/** The worklist's counts, read at most every 15 seconds per tenant and container (each read is every open entry). */
const COUNTS_FRESH_MS = 15_000;
const countedFacts = new Map<string, { at: number; facts: Promise<WorklistFact[]> }>();

async function counts({ caller }: Context<'countWorklist'>): Promise<HttpResult> {
  const at = now();
  let cached = countedFacts.get(caller.tenantId);
  if (!cached || at.getTime() - cached.at > COUNTS_FRESH_MS) {
    cached = { at: at.getTime(), facts: openWorklistFacts(caller.tenantId) };
    countedFacts.set(caller.tenantId, cached);
    cached.facts.catch(() => countedFacts.delete(caller.tenantId));
  }
  const [facts, tenant] = await Promise.all([cached.facts, tenantOf(caller)]);
  const today = localDate(tenant.timeZone, at);
  const endOfToday = startOfLocalDay(tenant.timeZone, addDays(today, 1));
  return json(200, {
    ...worklistCounts(facts, { now: at, endOfToday }, caller.staffId),
    countedAt: new Date(cached.at).toISOString(),
  });
}

/** 7.1.2: a phone interview; staff enter the same form's answers on the customer's behalf. */
async function phoneSurvey(context: Context<'answerRequestSurvey'>): Promise<HttpResult> {
  const { body: answer, caller } = context;
  const [request, tenant] = await Promise.all([requestOf(context), tenantOf(caller)]);
  const outcome = await recordSurveyAnswer(
    tenant,
    request,
    answer,
    { channel: 'phone', by: actorOf(caller) },
    now(),
  );
  if (outcome === 'not-invited')
    throw new ConflictError('The request has no survey yet: it is sent with the service record');
  if (outcome === 'already-answered')
    throw new ConflictError('The survey of this request was already answered');
  return json(200, await view((await getRequest(request.tenantId, request.requestId)) ?? request, tenant));
}

export const handler = serveRoutes('requestsApi', requestsApiRoutes, {
  createRequest,
  listRequests: list,
  getCustomerHistory: customerHistory,
  assignRequest: assign,
  countWorklist: counts,
  getRequest: getOne,
  acknowledgeRequest: acknowledge,
  dispatchRequest: dispatch,
  completeRequest: complete,
  cancelRequest: cancel,
  takeOverRequest: takeOver,
  enterRequestCustomer: enterCustomer,
  answerRequestSurvey: phoneSurvey,
});
