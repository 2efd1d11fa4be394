import { mentionedStaffIds, replyAddress, threadReference } from '#domain/conversation.ts';
import { activeStaffMember } from '#domain/tenant.ts';
import { now } from '../adapters/clock.ts';
import { config, inboundMailDomain } from '../adapters/config.ts';
import {
  addMessage,
  type ConversationMessage,
  conversationOf,
  type HeldMail,
  newMessageId,
  releaseHeldMail,
  replyTokenFor,
} from '../adapters/conversations.ts';
import { getFeedbackCase, recordFeedbackStep } from '../adapters/feedback-cases.ts';
import { sendOnce } from '../adapters/mailer.ts';
import {
  getRequest,
  type RequestWithCustomer,
  recordStep,
  type TimelineEvent,
  transitionRequest,
} from '../adapters/requests.ts';
import { consoleLinkOf } from '../adapters/signed-links.ts';
import type { StoredTenant } from '../adapters/tenants.ts';
import { mentionEmail, replyEmail } from '../emails/conversation-emails.ts';
import { customerVoice, responseKept } from './confirm-need.ts';
import { derivedId } from './digests.ts';
import { ConflictError, NotFoundError } from './errors.ts';
import { wakeRequest } from './watched-kinds.ts';

/**
 * A subject as its conversation sees it (#36): a service request or a feedback case, its
 * customer, and whether it has ended (an email after the end is shown, and reopens nothing).
 */
export interface ConversationSubject {
  tenantId: string;
  subjectId: string;
  customer?: RequestWithCustomer['customer'];
  ended: boolean;
}

export async function conversationSubject(
  tenantId: string,
  subjectId: string,
): Promise<ConversationSubject | undefined> {
  if (subjectId.startsWith('sr_')) {
    const request = await getRequest(tenantId, subjectId);
    if (!request) return undefined;
    const ended = request.status === 'closed' || request.status === 'cancelled';
    return { tenantId, subjectId, customer: request.customer, ended };
  }
  const feedback = await getFeedbackCase(tenantId, subjectId);
  if (!feedback) return undefined;
  return { tenantId, subjectId, customer: feedback.customer, ended: feedback.status === 'closed' };
}

export async function subjectOrNotFound(tenantId: string, subjectId: string): Promise<ConversationSubject> {
  const subject = await conversationSubject(tenantId, subjectId);
  if (!subject)
    throw new NotFoundError(
      subjectId.startsWith('sr_') ? `request ${subjectId}` : `feedback case ${subjectId}`,
    );
  return subject;
}

/**
 * Puts a conversation's event on the subject's timeline, with the fields that say who spoke
 * last (a customer's answer waiting for us is marked in the worklist).
 */
export function recordOnSubject(
  subject: Pick<ConversationSubject, 'tenantId' | 'subjectId'>,
  event: TimelineEvent,
  fields: Record<string, unknown> = {},
) {
  return subject.subjectId.startsWith('sr_')
    ? recordStep(subject.tenantId, subject.subjectId, { event, fields })
    : recordFeedbackStep(subject.tenantId, subject.subjectId, { event, fields });
}

/**
 * Adds a message to its subject's conversation with its timeline entry. A retry (an SES
 * redelivery, a client's Idempotency-Key) of an attempt that stored the message but failed
 * before the entry writes the entry then; one that finds both changes nothing. False when the
 * message was already there.
 */
export async function addToConversation(
  subject: Pick<ConversationSubject, 'tenantId' | 'subjectId'>,
  message: ConversationMessage,
  event: TimelineEvent,
  fields: Record<string, unknown> = {},
): Promise<boolean> {
  const added = await addMessage(subject.tenantId, subject.subjectId, message);
  if (!added) {
    const current = subject.subjectId.startsWith('sr_')
      ? await getRequest(subject.tenantId, subject.subjectId)
      : await getFeedbackCase(subject.tenantId, subject.subjectId);
    const entered = current?.timeline.some((e) => e.details?.messageId === message.messageId);
    if (entered) return false;
  }
  await recordOnSubject(subject, event, fields);
  return added;
}

/** The message's id: from the caller's Idempotency-Key when given, so a retry is the same message. */
const messageIdFor = (
  tenantId: string,
  subjectId: string,
  kind: string,
  idempotencyKey: string | undefined,
) =>
  idempotencyKey === undefined
    ? newMessageId(now())
    : derivedId('msg', tenantId, subjectId, kind, idempotencyKey);

/**
 * An internal note: never emailed to the customer; each colleague it mentions (`@staffId`, on
 * this tenant's staff and able to work) is emailed a link to the subject, once.
 */
export async function addNote(
  tenant: StoredTenant,
  subject: ConversationSubject,
  input: { text: string; actor: string; idempotencyKey?: string },
): Promise<ConversationMessage> {
  const at = now().toISOString();
  const active = tenant.staff.filter((member) => member.disabledAt === undefined).map((m) => m.staffId);
  const mentions = mentionedStaffIds(input.text, active);
  const note: ConversationMessage = {
    messageId: messageIdFor(tenant.tenantId, subject.subjectId, 'note', input.idempotencyKey),
    kind: 'note',
    at,
    author: input.actor,
    text: input.text,
    ...(mentions.length > 0 ? { mentions } : {}),
  };
  await addToConversation(subject, note, {
    at,
    type: 'note_added',
    actor: input.actor,
    details: { messageId: note.messageId, ...(mentions.length > 0 ? { mentions } : {}) },
  });
  const author = tenant.staff.find((member) => member.staffId === input.actor)?.name ?? input.actor;
  for (const staffId of mentions) {
    const member = activeStaffMember(tenant.staff, staffId)!;
    await sendOnce(
      tenant,
      `mention:${note.messageId}:${staffId}`,
      mentionEmail(
        member.email,
        { subjectId: subject.subjectId, author, text: input.text, link: consoleLinkOf(subject.subjectId) },
        member.language ?? tenant.language,
      ),
    );
  }
  return note;
}

/**
 * A reply to the customer, emailed in the tenant's name and the customer's language, threaded
 * (it answers the customer's last email, and carries the subject's thread reference) and with
 * the subject's reply address as Reply-To, so the customer's answer comes back to it.
 */
export async function replyToCustomer(
  tenant: StoredTenant,
  subject: ConversationSubject,
  input: { text: string; actor: string; idempotencyKey?: string },
): Promise<ConversationMessage & { delivery: 'sent' | 'rejected'; rejection?: string }> {
  const customer = subject.customer;
  if (!customer) throw new ConflictError('The customer’s details are not known yet: enter them first');
  const messageId = messageIdFor(tenant.tenantId, subject.subjectId, 'reply', input.idempotencyKey);
  // Without a receiving domain (a region SES does not receive in) answers go to the tenant's Reply-To.
  const receiving = inboundMailDomain();
  const domain = receiving ?? config().MAIL_FROM.split('@')[1]!;
  const token = await replyTokenFor(tenant.tenantId, subject.subjectId);
  const earlier = await conversationOf(tenant.tenantId, subject.subjectId);
  const lastFromCustomer = earlier.filter((m) => m.kind === 'customer' && m.emailMessageId).at(-1);
  const references = [
    threadReference(token, domain),
    ...(lastFromCustomer ? [lastFromCustomer.emailMessageId!] : []),
  ];
  const staffName = tenant.staff.find((member) => member.staffId === input.actor)?.name ?? tenant.name;
  const voice = customerVoice({ customer }, tenant);
  const email = replyEmail(
    customer.email,
    subject.subjectId,
    { customerName: customer.name, text: input.text, staffName },
    voice,
  );
  const outcome = await sendOnce(tenant, `reply:${messageId}`, {
    ...email,
    ...(receiving ? { replyTo: [replyAddress(token, receiving)] } : {}),
    headers: [
      ...(lastFromCustomer ? [{ name: 'In-Reply-To', value: lastFromCustomer.emailMessageId! }] : []),
      { name: 'References', value: references.join(' ') },
    ],
  });
  const at = now().toISOString();
  const reply: ConversationMessage = {
    messageId,
    kind: 'reply',
    at,
    author: input.actor,
    text: input.text,
    emailSubject: email.subject,
    // SES makes the email's Message-ID from it (its domain depends on the region).
    ...(outcome.sent ? { sesMessageId: outcome.messageId } : {}),
  };
  await addToConversation(
    subject,
    reply,
    {
      at,
      type: 'replied_to_customer',
      actor: input.actor,
      details: {
        messageId,
        to: customer.email,
        ...(!outcome.sent && outcome.reason === 'rejected' ? { emailRejected: outcome.detail } : {}),
      },
    },
    { lastReplyToCustomerAt: at },
  );
  const delivered = outcome.sent || outcome.reason === 'already-sent';
  if (delivered && tenant.replyConfirmsNeed && subject.subjectId.startsWith('sr_'))
    await replyAsResponse(tenant, subject.subjectId, input.actor, messageId, at);
  return delivered
    ? { ...reply, delivery: 'sent' }
    : { ...reply, delivery: 'rejected', rejection: outcome.detail };
}

/**
 * 6.1.2 read as "respond and confirm the need", where the tenant chose so: a reply that reached
 * the customer of a request nobody has responded to is the response. The request is
 * acknowledged by whoever wrote it, the reply stands for the confirmation email (none is sent),
 * and a response kept late meets its breach. Someone who acknowledged meanwhile keeps theirs.
 */
async function replyAsResponse(
  tenant: StoredTenant,
  requestId: string,
  actor: string,
  messageId: string,
  at: string,
): Promise<void> {
  const request = await getRequest(tenant.tenantId, requestId);
  if (request?.status !== 'received') return;
  // Met before the acknowledgement is written (which ends the lifecycle's interest in the
  // response): if this fails, the reply's retry finds the request still received and does both.
  await responseKept(request, at);
  const acknowledged = await transitionRequest(request, {
    from: ['received'],
    to: 'acknowledged',
    fields: { acknowledgedAt: at, acknowledgedBy: actor, confirmationClaimedAt: at, confirmationSent: true },
    event: { at, type: 'acknowledged', actor, details: { by: 'reply', messageId } },
  });
  if (!acknowledged) return;
  // Its lifecycle stops watching the response and watches completion.
  await wakeRequest(acknowledged);
}

/**
 * Staff decided that held mail is the customer's (#36): it joins the conversation it named, or
 * the one they choose, as the customer's message, with who decided; and is no longer held.
 */
export async function acceptHeldMail(
  tenant: StoredTenant,
  held: HeldMail,
  subject: ConversationSubject,
  actor: string,
): Promise<ConversationMessage> {
  const at = now().toISOString();
  const message: ConversationMessage = {
    messageId: held.heldId,
    kind: 'customer',
    at,
    author: held.from,
    text: held.text,
    emailSubject: held.emailSubject,
    ...(held.attachments.length > 0 ? { attachments: held.attachments } : {}),
    ...(subject.ended ? { afterEnd: true as const } : {}),
  };
  await addToConversation(
    subject,
    message,
    {
      at,
      type: subject.ended ? 'customer_wrote_after_end' : 'customer_wrote',
      actor: held.from,
      details: { messageId: message.messageId, heldAt: held.at, heldAs: held.reason, acceptedBy: actor },
    },
    { lastCustomerMessageAt: at },
  );
  await releaseHeldMail(tenant.tenantId, held);
  return message;
}
