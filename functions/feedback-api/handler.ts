import middy from '@middy/core';
import { minutesLate } from '../../domain/breach.ts';
import { newFeedbackSchema, resolutionSchema } from '../../domain/feedback-case.ts';
import { breachesOfRequest } from '../adapters/breaches.ts';
import { now } from '../adapters/clock.ts';
import { getFeedbackCase, recordFeedbackStep, type StoredFeedbackCase } from '../adapters/feedback-cases.ts';
import { getRequest } from '../adapters/requests.ts';
import { getTenant, type StoredTenant } from '../adapters/tenants.ts';
import { resumeWaitingWorkflow } from '../adapters/workflows.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { openFeedbackCase, routeOfFeedback } from '../shared/feedback-intake.ts';
import {
  type Caller,
  callerOf,
  type HttpEvent,
  type HttpResult,
  httpErrors,
  json,
  parseJsonBody,
} from '../shared/http.ts';

const actorOf = (caller: Caller) => caller.staffId ?? `apikey:${caller.keyId}`;

async function tenantOf(caller: Caller): Promise<StoredTenant> {
  const tenant = await getTenant(caller.tenantId);
  if (!tenant) throw new NotFoundError('tenant');
  return tenant;
}

async function view(feedback: StoredFeedbackCase) {
  const { callbackToken: _token, ...visible } = feedback;
  const breaches = await breachesOfRequest(feedback.tenantId, feedback.contractId, feedback.feedbackId);
  const at = now();
  return {
    ...visible,
    breaches: breaches.map((b) => ({ ...b, minutesLate: minutesLate(b, at), open: b.metAt === undefined })),
  };
}

/** Staff entry of feedback (a phone interview, a letter): due within the working days. */
async function create(event: HttpEvent, caller: Caller): Promise<HttpResult> {
  const input = parseJsonBody(event, newFeedbackSchema);
  const tenant = await tenantOf(caller);
  let terms: { contractId: string; feedbackWorkingDays: number } | undefined;
  if (input.requestId) {
    const request = await getRequest(caller.tenantId, input.requestId);
    if (!request) throw new ValidationError('Unknown request', { requestId: ['no request has this id'] });
    terms = request.terms;
  }
  const { feedback } = await openFeedbackCase(tenant, input, {
    receivedAt: now(),
    actor: actorOf(caller),
    terms,
  });
  return json(201, await view(feedback));
}

async function getOne(event: HttpEvent, caller: Caller): Promise<HttpResult> {
  const feedback = await getFeedbackCase(caller.tenantId, event.pathParameters?.feedbackId ?? '');
  if (!feedback) throw new NotFoundError(`feedback case ${event.pathParameters?.feedbackId}`);
  return json(200, await view(feedback));
}

/** 7.2.1, 7.2.2: the result (told to the customer by the workflow) and what will change. */
async function resolve(event: HttpEvent, caller: Caller): Promise<HttpResult> {
  const input = parseJsonBody(event, resolutionSchema);
  const feedbackId = event.pathParameters?.feedbackId ?? '';
  const existing = await getFeedbackCase(caller.tenantId, feedbackId);
  if (!existing) throw new NotFoundError(`feedback case ${feedbackId}`);
  const at = now().toISOString();
  const resolved = await recordFeedbackStep(caller.tenantId, feedbackId, {
    requireStatus: ['open'],
    fields: { status: 'resolved', resolution: { ...input, resolvedAt: at, resolvedBy: actorOf(caller) } },
    event: { at, type: 'resolved', actor: actorOf(caller), details: { changes: input.changes } },
  });
  if (!resolved) throw new ConflictError(`The feedback case is already ${existing.status}`);
  await resumeWaitingWorkflow(
    resolved.callbackToken,
    routeOfFeedback(resolved, await tenantOf(caller), now()),
  );
  return json(200, await view(resolved));
}

const routeHandlers: Record<string, (event: HttpEvent, caller: Caller) => Promise<HttpResult>> = {
  'POST /v1/feedback': create,
  'GET /v1/feedback/{feedbackId}': getOne,
  'POST /v1/feedback/{feedbackId}/resolve': resolve,
};

async function route(event: HttpEvent): Promise<HttpResult> {
  const handle = routeHandlers[event.routeKey];
  if (!handle) throw new NotFoundError(`route ${event.routeKey}`);
  return handle(event, callerOf(event));
}

export const handler = middy<HttpEvent, HttpResult>().use(httpErrors()).handler(route);
