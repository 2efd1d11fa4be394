import { conversationOf, heldMailById, heldMailOf, releaseHeldMail } from '../adapters/conversations.ts';
import { type ContextOf, type OperationId, serveRoutes } from '../http/router.ts';
import { shown } from '../http/show.ts';
import { heldMailView, messageView } from '../http/views.ts';
import { actorOf, tenantOf } from '../shared/caller.ts';
import { acceptHeldMail, addNote, replyToCustomer, subjectOrNotFound } from '../shared/conversation.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import { type HttpResult, json } from '../shared/http.ts';
import { conversationsApiRoutes } from './routes.ts';

type Context<Id extends OperationId<typeof conversationsApiRoutes>> = ContextOf<
  typeof conversationsApiRoutes,
  Id
>;

/** The subject a route names: a request or a feedback case of the caller's tenant (404 otherwise). */
const subjectIdOf = (params: { readonly requestId: string } | { readonly feedbackId: string }) =>
  'requestId' in params ? params.requestId : params.feedbackId;

async function conversation({
  caller,
  params,
}: Context<'getRequestConversation' | 'getFeedbackConversation'>): Promise<HttpResult> {
  const subject = await subjectOrNotFound(caller.tenantId, subjectIdOf(params));
  const messages = await conversationOf(caller.tenantId, subject.subjectId);
  return json(200, { subjectId: subject.subjectId, messages: messages.map((m) => shown(messageView, m)) });
}

async function note({
  caller,
  params,
  body,
  idempotencyKey,
}: Context<'addRequestNote' | 'addFeedbackNote'>): Promise<HttpResult> {
  const [tenant, subject] = await Promise.all([
    tenantOf(caller),
    subjectOrNotFound(caller.tenantId, subjectIdOf(params)),
  ]);
  const added = await addNote(tenant, subject, { text: body.text, actor: actorOf(caller), idempotencyKey });
  return json(201, shown(messageView, added));
}

async function reply({
  caller,
  params,
  body,
  idempotencyKey,
}: Context<'replyOnRequest' | 'replyOnFeedback'>): Promise<HttpResult> {
  const [tenant, subject] = await Promise.all([
    tenantOf(caller),
    subjectOrNotFound(caller.tenantId, subjectIdOf(params)),
  ]);
  const sent = await replyToCustomer(tenant, subject, {
    text: body.text,
    actor: actorOf(caller),
    idempotencyKey,
  });
  return json(201, shown(messageView, sent));
}

async function heldMail({ caller }: Context<'listHeldMail'>): Promise<HttpResult> {
  const held = await heldMailOf(caller.tenantId);
  return json(200, { items: held.map((m) => shown(heldMailView, m)) });
}

async function acceptHeld({ caller, params, body }: Context<'acceptHeldMail'>): Promise<HttpResult> {
  const [tenant, held] = await Promise.all([tenantOf(caller), heldMailById(caller.tenantId, params.heldId)]);
  if (!held) throw new NotFoundError(`held mail ${params.heldId}`);
  const subjectId = body.subjectId ?? held.subjectId;
  if (!subjectId)
    throw new ValidationError('It named no request or case: say which', {
      subjectId: ['required: the email named none'],
    });
  const subject = await subjectOrNotFound(caller.tenantId, subjectId);
  const message = await acceptHeldMail(tenant, held, subject, actorOf(caller));
  return json(201, { subjectId, ...shown(messageView, message) });
}

async function dismissHeld({ caller, params }: Context<'dismissHeldMail'>): Promise<HttpResult> {
  const held = await heldMailById(caller.tenantId, params.heldId);
  if (!held) throw new NotFoundError(`held mail ${params.heldId}`);
  await releaseHeldMail(caller.tenantId, held);
  return json(200, { heldId: held.heldId, dismissed: true });
}

export const handler = serveRoutes('conversationsApi', conversationsApiRoutes, {
  acceptHeldMail: acceptHeld,
  dismissHeldMail: dismissHeld,
  getRequestConversation: conversation,
  getFeedbackConversation: conversation,
  addRequestNote: note,
  addFeedbackNote: note,
  replyOnRequest: reply,
  replyOnFeedback: reply,
  listHeldMail: heldMail,
});
