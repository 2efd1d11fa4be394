import { completionReportSchema, futureTimesIn, issueServiceRecord } from '../../domain/service-record.ts';
import { canTransition, newServiceRequestSchema, statusesAllowing } from '../../domain/service-request.ts';
import { isQualified, requiredSkill } from '../../domain/skills.ts';
import { surveyAnswerSchema } from '../../domain/survey.ts';
import { breachesOfRequest } from '../adapters/breaches.ts';
import { now } from '../adapters/clock.ts';
import {
  getRequest,
  listRequestsByStatus,
  requestTimeline,
  type StoredRequest,
  transitionRequest,
} from '../adapters/requests.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import { failWaitingWorkflow } from '../adapters/workflows.ts';
import { cancelSchema, dispatchSchema, idempotencyHeaders, requestListQuery } from '../shared/api-schemas.ts';
import { actorOf, tenantOf } from '../shared/caller.ts';
import { confirmNeedAtOnce } from '../shared/confirm-need.ts';
import { ConflictError, DomainError, NotFoundError, ValidationError } from '../shared/errors.ts';
import {
  apiKeyRoutes,
  type Caller,
  type HttpEvent,
  type HttpResult,
  json,
  parseHeaders,
  parseJsonBody,
  parseQuery,
  type RouteHandler,
} from '../shared/http.ts';
import { derivedId, digestOf, openServiceRequest } from '../shared/intake.ts';
import { wakeLifecycle } from '../shared/lifecycle-route.ts';
import { recordSurveyAnswer } from '../shared/survey-answers.ts';
import { requestView } from './request-view.ts';

/** Reads the request of the caller's tenant: another tenant's id is simply not found (no existence leak). */
async function requestOf(caller: Caller, event: HttpEvent): Promise<StoredRequest> {
  const requestId = event.pathParameters?.requestId ?? '';
  const request = await getRequest(caller.tenantId, requestId);
  if (!request) throw new NotFoundError(`request ${requestId}`);
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
async function createRequest(event: HttpEvent, caller: Caller): Promise<HttpResult> {
  const input = parseJsonBody(event, newServiceRequestSchema);
  const idempotencyKey = parseHeaders(event, idempotencyHeaders)['idempotency-key'];
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

async function acknowledge(event: HttpEvent, caller: Caller): Promise<HttpResult> {
  const request = await requestOf(caller, event);
  if (!canTransition('acknowledge', request.status)) refuseTransition(request, 'acknowledge');
  const at = now().toISOString();
  const updated = await transitionRequest(request, {
    from: statusesAllowing('acknowledge'),
    to: 'acknowledged',
    fields: { acknowledgedAt: at, acknowledgedBy: actorOf(caller) },
    event: { at, type: 'acknowledged', actor: actorOf(caller) },
  });
  if (!updated)
    refuseTransition((await getRequest(request.tenantId, request.requestId)) ?? request, 'acknowledge');
  const tenant = await tenantOf(caller);
  // The customer is told now (6.1.2), so the answer shows the request as it is afterwards.
  const confirmed = await confirmNeedAtOnce(updated, tenant, now());
  await wakeLifecycle(confirmed, tenant, now());
  return json(200, await view(confirmed, tenant));
}

/** 6.1.3 and 6.2.1a: on-site or remote, by a technician who holds the skill the kind needs. */
async function dispatch(event: HttpEvent, caller: Caller): Promise<HttpResult> {
  const input = parseJsonBody(event, dispatchSchema);
  const [request, tenant] = await Promise.all([requestOf(caller, event), tenantOf(caller)]);
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
  await wakeLifecycle(updated, tenant, now());
  return json(200, await view(updated, tenant));
}

/** 6.1.4: completing issues the immutable service record, in the same write as the status change. */
async function complete(event: HttpEvent, caller: Caller): Promise<HttpResult> {
  const report = parseJsonBody(event, completionReportSchema);
  const [request, tenant] = await Promise.all([requestOf(caller, event), tenantOf(caller)]);
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
  await wakeLifecycle(updated, tenant, now());
  return json(200, await view(updated, tenant));
}

async function cancel(event: HttpEvent, caller: Caller): Promise<HttpResult> {
  const input = parseJsonBody(event, cancelSchema);
  const request = await requestOf(caller, event);
  if (!canTransition('cancel', request.status)) refuseTransition(request, 'cancel');
  const at = now().toISOString();
  const updated = await transitionRequest(request, {
    from: statusesAllowing('cancel'),
    to: 'cancelled',
    fields: { cancelledAt: at, cancelReason: input.reason },
    event: { at, type: 'cancelled', actor: actorOf(caller), details: { reason: input.reason } },
  });
  if (!updated)
    refuseTransition((await getRequest(request.tenantId, request.requestId)) ?? request, 'cancel');
  await failWaitingWorkflow(updated.callbackToken, 'RequestCancelled', input.reason);
  return json(200, await view(updated, await tenantOf(caller)));
}

async function getOne(event: HttpEvent, caller: Caller): Promise<HttpResult> {
  const [request, tenant] = await Promise.all([requestOf(caller, event), tenantOf(caller)]);
  return json(200, await view(request, tenant));
}

async function list(event: HttpEvent, caller: Caller): Promise<HttpResult> {
  const { status, limit } = parseQuery(event, requestListQuery);
  const statuses = status ? [status] : (['received', 'acknowledged', 'dispatched'] as const);
  const found = (
    await Promise.all(statuses.map((s) => listRequestsByStatus(caller.tenantId, s, limit)))
  ).flat();
  const items = found.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt)).slice(0, limit);
  return json(200, {
    items: items.map(({ callbackToken: _t, timeline: _tl, timelineArchived: _a, ...summary }) => summary),
  });
}

/** 7.1.2: a phone interview; staff enter the same form's answers on the customer's behalf. */
async function phoneSurvey(event: HttpEvent, caller: Caller): Promise<HttpResult> {
  const answer = parseJsonBody(event, surveyAnswerSchema);
  const [request, tenant] = await Promise.all([requestOf(caller, event), tenantOf(caller)]);
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

const routeHandlers: Record<string, RouteHandler> = {
  'POST /v1/requests/{requestId}/survey': phoneSurvey,
  'POST /v1/requests': createRequest,
  'GET /v1/requests': list,
  'GET /v1/requests/{requestId}': getOne,
  'POST /v1/requests/{requestId}/acknowledge': acknowledge,
  'POST /v1/requests/{requestId}/dispatch': dispatch,
  'POST /v1/requests/{requestId}/complete': complete,
  'POST /v1/requests/{requestId}/cancel': cancel,
};

export const handler = apiKeyRoutes(routeHandlers);
