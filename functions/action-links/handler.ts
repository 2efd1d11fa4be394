import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { now } from '../adapters/clock.ts';
import { getRequest, recordStep, type StoredRequest, transitionRequest } from '../adapters/requests.ts';
import { type LinkClaims, verifyLinkToken } from '../adapters/signed-links.ts';
import { getTenant, type StoredTenant } from '../adapters/tenants.ts';
import { escapeHtml } from '../emails/layout.ts';
import { type HttpEvent, type HttpResult, html, httpErrors } from '../shared/http.ts';
import { wakeLifecycle } from '../shared/lifecycle-route.ts';
import { logger } from '../shared/logger.ts';

/**
 * The "email-driven" part: a manager acts from an escalation email without logging in.
 * GET shows what the link will do and asks for a click (mail scanners prefetch links, so a
 * GET never changes anything); POST does it.
 */
type Language = StoredTenant['language'];

/** What the pages say, in the tenant's language (the escalation email's); a link we cannot read gets both. */
const texts = {
  'zh-CN': {
    actions: { survey: '调查', acknowledge: '确认响应', takeOver: '接手处理' },
    status: '状态',
    acknowledged: ['已确认响应', (id: string) => `服务请求 ${id} 已确认响应，系统会通知客户。`],
    alreadyAcknowledged: ['已被确认', (id: string, by: string) => `服务请求 ${id} 已由 ${by} 确认响应。`],
    takenOver: ['已接手', (id: string) => `您现在负责服务请求 ${id}。`],
    nothingToTakeOver: ['无需接手', (status: string) => `该请求当前状态为 ${status}。`],
    someone: '他人',
  },
  en: {
    actions: { survey: 'Survey', acknowledge: 'Acknowledge', takeOver: 'Take over' },
    status: 'status',
    acknowledged: [
      'Acknowledged',
      (id: string) => `Request ${id} is acknowledged; the customer will be told.`,
    ],
    alreadyAcknowledged: [
      'Already acknowledged',
      (id: string, by: string) => `Request ${id} was acknowledged by ${by}.`,
    ],
    takenOver: ['Taken over', (id: string) => `You are now assigned to request ${id}.`],
    nothingToTakeOver: ['Nothing to take over', (status: string) => `The request is already ${status}.`],
    someone: 'someone',
  },
} as const;

const page = (status: number, language: Language | 'both', title: string, message: string, form?: string) =>
  html(
    status,
    `<!doctype html><html lang="${language === 'both' ? 'zh-CN' : language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem"><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${form ?? ''}</main></body></html>`,
  );

/** For a link that cannot be read: no tenant, so no language; both, Chinese first (clause 14.2). */
const invalidLink = (status: 404 | 410) =>
  status === 410
    ? page(
        410,
        'both',
        '链接已过期 / Link expired',
        '此链接已过期，请在服务控制台中处理该请求。 / This link has expired. Open the request in the service console instead.',
      )
    : page(404, 'both', '链接无效 / Link not valid', '此链接无效。 / This link is not valid.');

async function show(claims: LinkClaims, request: StoredRequest, language: Language): Promise<HttpResult> {
  const t = texts[language];
  const action = t.actions[claims.action];
  const form = `<form method="post"><button type="submit" style="font-size:1.1rem;padding:.5rem 1.5rem">${escapeHtml(action)}</button></form>`;
  return page(
    200,
    language,
    `${action}: ${request.requestId}`,
    `${request.customer.name}: ${request.description} (${t.status}: ${request.status})`,
    form,
  );
}

async function act(claims: LinkClaims, request: StoredRequest, tenant: StoredTenant): Promise<HttpResult> {
  const t = texts[tenant.language];
  const at = now().toISOString();
  const staff = tenant.staff.find((s) => s.email.toLowerCase() === claims.actor.toLowerCase());
  const actor = staff?.staffId ?? `email:${claims.actor}`;
  let updated: StoredRequest | undefined = request;
  if (claims.action === 'takeOver' && staff) {
    updated = await recordStep(request.tenantId, request.requestId, {
      requireStatus: ['received', 'acknowledged', 'dispatched'],
      fields: { assigneeId: staff.staffId },
      event: { at, type: 'taken_over', actor, details: { via: 'email link' } },
    });
    if (!updated)
      return page(409, tenant.language, t.nothingToTakeOver[0], t.nothingToTakeOver[1](request.status));
    if (updated.status !== 'received') await wakeLifecycle(updated, tenant, now());
  }
  if (updated.status === 'received') {
    const acknowledged = await transitionRequest(updated, {
      from: ['received'],
      to: 'acknowledged',
      fields: { acknowledgedAt: at, acknowledgedBy: actor },
      event: { at, type: 'acknowledged', actor, details: { via: 'email link' } },
    });
    if (acknowledged) {
      await wakeLifecycle(acknowledged, tenant, now());
      return page(200, tenant.language, t.acknowledged[0], t.acknowledged[1](request.requestId));
    }
    updated = (await getRequest(request.tenantId, request.requestId)) ?? updated;
  }
  if (claims.action === 'acknowledge') {
    return page(
      409,
      tenant.language,
      t.alreadyAcknowledged[0],
      t.alreadyAcknowledged[1](request.requestId, updated.acknowledgedBy ?? t.someone),
    );
  }
  return page(200, tenant.language, t.takenOver[0], t.takenOver[1](request.requestId));
}

async function handle(event: HttpEvent): Promise<HttpResult> {
  const check = await verifyLinkToken(event.pathParameters?.token ?? '', now());
  if (!check.ok) return invalidLink(check.reason === 'expired' ? 410 : 404);
  // A survey link is for the customer's survey page only: it never acts on a request.
  if (check.claims.action === 'survey') return invalidLink(404);
  const [request, tenant] = await Promise.all([
    getRequest(check.claims.tenantId, check.claims.requestId),
    getTenant(check.claims.tenantId),
  ]);
  if (!request || !tenant) return invalidLink(404);
  return event.requestContext.http.method === 'POST'
    ? act(check.claims, request, tenant)
    : show(check.claims, request, tenant.language);
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(injectLambdaContext(logger))
  .use(httpErrors())
  .handler(handle);
