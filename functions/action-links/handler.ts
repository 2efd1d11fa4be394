import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { now } from '../adapters/clock.ts';
import { getRequest, recordStep, type StoredRequest, transitionRequest } from '../adapters/requests.ts';
import { type LinkClaims, verifyLinkToken } from '../adapters/signed-links.ts';
import { getTenant } from '../adapters/tenants.ts';
import { escapeHtml } from '../emails/layout.ts';
import { type HttpEvent, type HttpResult, html, httpErrors } from '../shared/http.ts';
import { wakeLifecycle } from '../shared/lifecycle-route.ts';
import { logger } from '../shared/logger.ts';

/**
 * The "email-driven" part: a manager acts from an escalation email without logging in.
 * GET shows what the link will do and asks for a click (mail scanners prefetch links, so a
 * GET never changes anything); POST does it.
 */
const page = (status: number, title: string, message: string, form?: string) =>
  html(
    status,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${form ?? ''}</body></html>`,
  );

const actionNames: Record<LinkClaims['action'], string> = {
  survey: 'Survey',
  acknowledge: 'Acknowledge',
  takeOver: 'Take over',
};

async function show(claims: LinkClaims, request: StoredRequest): Promise<HttpResult> {
  const form = `<form method="post"><button type="submit" style="font-size:1.1rem;padding:.5rem 1.5rem">${escapeHtml(actionNames[claims.action])}</button></form>`;
  return page(
    200,
    `${actionNames[claims.action]}: ${request.requestId}`,
    `${request.customer.name}: ${request.description} (status: ${request.status})`,
    form,
  );
}

async function act(claims: LinkClaims, request: StoredRequest): Promise<HttpResult> {
  const at = now().toISOString();
  const tenant = await getTenant(claims.tenantId);
  const staff = tenant?.staff.find((s) => s.email.toLowerCase() === claims.actor.toLowerCase());
  const actor = staff?.staffId ?? `email:${claims.actor}`;
  let updated: StoredRequest | undefined = request;
  if (claims.action === 'takeOver' && staff) {
    updated = await recordStep(request.tenantId, request.requestId, {
      requireStatus: ['received', 'acknowledged', 'dispatched'],
      fields: { assigneeId: staff.staffId },
      event: { at, type: 'taken_over', actor, details: { via: 'email link' } },
    });
    if (!updated) return page(409, 'Nothing to take over', `The request is already ${request.status}.`);
    if (updated.status !== 'received' && tenant) await wakeLifecycle(updated, tenant, now());
  }
  if (updated.status === 'received') {
    const acknowledged = await transitionRequest(updated, {
      from: ['received'],
      to: 'acknowledged',
      fields: { acknowledgedAt: at, acknowledgedBy: actor },
      event: { at, type: 'acknowledged', actor, details: { via: 'email link' } },
    });
    if (acknowledged) {
      if (tenant) await wakeLifecycle(acknowledged, tenant, now());
      return page(
        200,
        'Acknowledged',
        `Request ${request.requestId} is acknowledged; the customer will be told.`,
      );
    }
    updated = (await getRequest(request.tenantId, request.requestId)) ?? updated;
  }
  if (claims.action === 'acknowledge') {
    return page(
      409,
      'Already acknowledged',
      `Request ${request.requestId} was acknowledged by ${updated.acknowledgedBy ?? 'someone'}.`,
    );
  }
  return page(200, 'Taken over', `You are now assigned to request ${request.requestId}.`);
}

async function handle(event: HttpEvent): Promise<HttpResult> {
  const check = await verifyLinkToken(event.pathParameters?.token ?? '', now());
  if (!check.ok) {
    return check.reason === 'expired'
      ? page(410, 'Link expired', 'This link has expired. Open the request in the service console instead.')
      : page(404, 'Link not valid', 'This link is not valid.');
  }
  // A survey link is for the customer's survey page only: it never acts on a request.
  if (check.claims.action === 'survey') return page(404, 'Link not valid', 'This link is not valid.');
  const request = await getRequest(check.claims.tenantId, check.claims.requestId);
  if (!request) return page(404, 'Link not valid', 'This link is not valid.');
  return event.requestContext.http.method === 'POST'
    ? act(check.claims, request)
    : show(check.claims, request);
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(injectLambdaContext(logger))
  .use(httpErrors())
  .handler(handle);
