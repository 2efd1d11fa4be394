import { openRequestStatuses } from '#domain/request-status.ts';
import { now } from '../adapters/clock.ts';
import { getFeedbackCase, recordFeedbackStep, type StoredFeedbackCase } from '../adapters/feedback-cases.ts';
import { getRequest, type StoredRequest, transitionRequest } from '../adapters/requests.ts';
import { consoleLinkOf, type LinkClaims, verifyLinkToken } from '../adapters/signed-links.ts';
import { getTenant, type StoredTenant } from '../adapters/tenants.ts';
import { escapeHtml } from '../emails/layout.ts';
import { type ContextOf, type OperationId, serveRoutes } from '../http/router.ts';
import { confirmNeedAtOnce } from '../shared/confirm-need.ts';
import { type HttpResult, html } from '../shared/http.ts';
import { takeOverRequest } from '../shared/take-over.ts';
import { wakeRequest } from '../shared/watched-kinds.ts';
import { actionLinksRoutes } from './routes.ts';

type Context<Id extends OperationId<typeof actionLinksRoutes>> = ContextOf<typeof actionLinksRoutes, Id>;

/**
 * The "email-driven" part: a manager acts from an escalation email without logging in (a
 * request: acknowledge or take over; a feedback case: take over).
 * GET shows what the link will do and asks for a click (mail scanners prefetch links, so a
 * GET never changes anything); POST does it.
 */
type Language = StoredTenant['language'];

/** What the pages say, in the tenant's language (the escalation email's); a link we cannot read gets both. */
const texts = {
  'zh-CN': {
    actions: { survey: '调查', acknowledge: '确认响应', takeOver: '接手处理' },
    status: '状态',
    statuses: {
      received: '待响应',
      acknowledged: '已响应',
      dispatched: '已派工',
      completed: '已完成',
      closed: '已关闭',
      cancelled: '已取消',
      open: '处理中',
      resolved: '已处理',
    },
    acknowledged: ['已确认响应', (id: string) => `服务请求 ${id} 已确认响应，系统会通知客户。`],
    alreadyAcknowledged: ['已被确认', (id: string, by: string) => `服务请求 ${id} 已由 ${by} 确认响应。`],
    takenOver: ['已接手', (id: string) => `您现在负责 ${id}。`],
    alreadyTakenOver: ['已由他人接手', (id: string, by: string) => `${id} 已由 ${by} 接手，未作更改。`],
    notStaff: [
      '不在员工名单中',
      (email: string) => `${email} 不在员工名单中，无法分配给您。请让管理员在设置中添加您。`,
    ],
    nothingToTakeOver: ['无需接手', (status: string) => `当前状态已是 ${status}。`],
    someone: '他人',
  },
  en: {
    actions: { survey: 'Survey', acknowledge: 'Acknowledge', takeOver: 'Take over' },
    status: 'status',
    statuses: {
      received: 'awaiting response',
      acknowledged: 'acknowledged',
      dispatched: 'dispatched',
      completed: 'completed',
      closed: 'closed',
      cancelled: 'cancelled',
      open: 'open',
      resolved: 'resolved',
    },
    acknowledged: [
      'Acknowledged',
      (id: string) => `Request ${id} is acknowledged; the customer will be told.`,
    ],
    alreadyAcknowledged: [
      'Already acknowledged',
      (id: string, by: string) => `Request ${id} was acknowledged by ${by}.`,
    ],
    takenOver: ['Taken over', (id: string) => `You are now assigned to ${id}.`],
    alreadyTakenOver: [
      'Already taken over',
      (id: string, by: string) => `${id} was taken over by ${by}; nothing was changed.`,
    ],
    notStaff: [
      'Not on the staff list',
      (email: string) =>
        `${email} is not on the staff list, so nothing can be assigned to you. Ask an admin to add you in the settings.`,
    ],
    nothingToTakeOver: ['Nothing to take over', (status: string) => `It is already ${status}.`],
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
        '链接已失效 / Link no longer valid',
        '此链接已过期，所涉事项也已处理完毕，无需操作。 / This link has expired and what it was about has been dealt with: nothing to do.',
      )
    : page(404, 'both', '链接无效 / Link not valid', '此链接无效。 / This link is not valid.');

/** What a link acts on: a service request, or a feedback case (its escalations offer take-over). */
type Subject =
  | { kind: 'request'; id: string; request: StoredRequest }
  | { kind: 'feedback'; id: string; feedback: StoredFeedbackCase };

/** Whether there is still something to act on: a link is good for as long as this holds. */
function stillOpen(subject: Subject): boolean {
  return subject.kind === 'request'
    ? (openRequestStatuses as readonly string[]).includes(subject.request.status)
    : subject.feedback.status === 'open';
}

const staffName = (tenant: StoredTenant, staffId: string | undefined, fallback: string) =>
  tenant.staff.find((s) => s.staffId === staffId)?.name ?? staffId ?? fallback;

async function subjectOf(claims: LinkClaims): Promise<Subject | undefined> {
  if (claims.requestId.startsWith('fb_')) {
    const feedback = await getFeedbackCase(claims.tenantId, claims.requestId);
    return feedback && { kind: 'feedback', id: feedback.feedbackId, feedback };
  }
  const request = await getRequest(claims.tenantId, claims.requestId);
  return request && { kind: 'request', id: request.requestId, request };
}

function show(claims: LinkClaims, subject: Subject, language: Language): HttpResult {
  const t = texts[language];
  const action = t.actions[claims.action];
  const [customer, words, status] =
    subject.kind === 'request'
      ? [subject.request.customer, subject.request.description, subject.request.status]
      : [subject.feedback.customer, subject.feedback.content, subject.feedback.status];
  const form = `<form method="post"><button type="submit" style="font-size:1.1rem;padding:.5rem 1.5rem">${escapeHtml(action)}</button></form>`;
  return page(
    200,
    language,
    `${action}: ${subject.id}`,
    `${customer?.name ?? '…'}: ${words} (${t.status}: ${t.statuses[status]})`,
    form,
  );
}

async function actOnRequest(
  claims: LinkClaims,
  request: StoredRequest,
  tenant: StoredTenant,
  staff: StoredTenant['staff'][number] | undefined,
): Promise<HttpResult> {
  const t = texts[tenant.language];
  const at = now().toISOString();
  const actor = staff?.staffId ?? `email:${claims.actor}`;
  let updated: StoredRequest = request;
  if (claims.action === 'takeOver' && staff) {
    const takeOver = await takeOverRequest(request, staff.staffId, 'email link', now());
    if (takeOver.outcome === 'not-open')
      return page(
        409,
        tenant.language,
        t.nothingToTakeOver[0],
        t.nothingToTakeOver[1](t.statuses[takeOver.request.status]),
      );
    if (takeOver.outcome === 'taken-by-other')
      return page(
        409,
        tenant.language,
        t.alreadyTakenOver[0],
        t.alreadyTakenOver[1](request.requestId, staffName(tenant, takeOver.request.assigneeId, t.someone)),
      );
    updated = takeOver.request;
  }
  if (updated.status === 'received') {
    const acknowledged = await transitionRequest(updated, {
      from: ['received'],
      to: 'acknowledged',
      fields: { acknowledgedAt: at, acknowledgedBy: actor, confirmationClaimedAt: at },
      event: { at, type: 'acknowledged', actor, details: { via: 'email link' } },
    });
    if (acknowledged) {
      await wakeRequest(await confirmNeedAtOnce(acknowledged, tenant, now()));
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

/** A feedback case is taken over (assigned) while open; it stays due until resolved. */
async function actOnFeedback(
  feedback: StoredFeedbackCase,
  tenant: StoredTenant,
  staff: StoredTenant['staff'][number],
): Promise<HttpResult> {
  const t = texts[tenant.language];
  if (feedback.assigneeId === staff.staffId)
    return page(200, tenant.language, t.takenOver[0], t.takenOver[1](feedback.feedbackId));
  const taken = await recordFeedbackStep(feedback.tenantId, feedback.feedbackId, {
    requireStatus: ['open'],
    expect: { assigneeId: feedback.assigneeId },
    fields: { assigneeId: staff.staffId },
    event: {
      at: now().toISOString(),
      type: 'taken_over',
      actor: staff.staffId,
      details: { via: 'email link', from: feedback.assigneeId },
    },
  });
  if (taken) return page(200, tenant.language, t.takenOver[0], t.takenOver[1](feedback.feedbackId));
  const current = (await getFeedbackCase(feedback.tenantId, feedback.feedbackId)) ?? feedback;
  if (current.status === 'open' && current.assigneeId !== staff.staffId)
    return page(
      409,
      tenant.language,
      t.alreadyTakenOver[0],
      t.alreadyTakenOver[1](feedback.feedbackId, staffName(tenant, current.assigneeId, t.someone)),
    );
  if (current.status === 'open')
    return page(200, tenant.language, t.takenOver[0], t.takenOver[1](feedback.feedbackId));
  return page(
    409,
    tenant.language,
    t.nothingToTakeOver[0],
    t.nothingToTakeOver[1](t.statuses[current.status]),
  );
}

async function act(claims: LinkClaims, subject: Subject, tenant: StoredTenant): Promise<HttpResult> {
  const t = texts[tenant.language];
  const staff = tenant.staff.find((s) => s.email.toLowerCase() === claims.actor.toLowerCase());
  // Taking over assigns the work: only to someone on the staff list, and the page says so.
  const notStaff = () => page(403, tenant.language, t.notStaff[0], t.notStaff[1](claims.actor));
  // A feedback link is always a take-over (handle() refuses any other).
  if (subject.kind === 'feedback') return staff ? actOnFeedback(subject.feedback, tenant, staff) : notStaff();
  if (claims.action === 'takeOver' && !staff) return notStaff();
  return actOnRequest(claims, subject.request, tenant, staff);
}

async function handle({ event, params }: Context<'showAction' | 'doAction'>): Promise<HttpResult> {
  const check = await verifyLinkToken(params.token!, now(), { honourExpired: true });
  if (!check.ok) return invalidLink(404);
  // A survey link is for the customer's survey page only: it never acts on a request.
  if (check.claims.action === 'survey') return invalidLink(404);
  const [subject, tenant] = await Promise.all([subjectOf(check.claims), getTenant(check.claims.tenantId)]);
  // A suspended tenant's links stop working, as its keys do.
  if (!subject || !tenant || tenant.suspendedAt) return invalidLink(404);
  // A week-old link still works while there is something to do (a reminder may be days later).
  if (check.expired && !stillOpen(subject)) return invalidLink(410);
  if (subject.kind === 'feedback' && check.claims.action !== 'takeOver') return invalidLink(404);
  const answer =
    event.requestContext.http.method === 'POST'
      ? await act(check.claims, subject, tenant)
      : show(check.claims, subject, tenant.language);
  return withConsoleLink(answer, subject.id, tenant.language);
}

/** Every page about a subject ends with a link to it in the staff console (#15). */
function withConsoleLink(answer: HttpResult, subjectId: string, language: Language): HttpResult {
  const label = language === 'zh-CN' ? '在控制台中查看' : 'Open in the console';
  const link = `<p><a href="${escapeHtml(consoleLinkOf(subjectId))}">${label}</a></p>`;
  return { ...answer, body: String(answer.body).replace('</main>', `${link}</main>`) };
}

export const handler = serveRoutes('actionLinks', actionLinksRoutes, {
  showAction: handle,
  doAction: handle,
});
