import { createHash, randomBytes } from 'node:crypto';
import { type MessageKind, replyTokenOf } from '#domain/conversation.ts';
import { subjectPartition } from './customer-data.ts';
import { keyedDigest } from './signed-links.ts';
import { deleteItem, getItem, putNew, queryAll, withoutKeys } from './table.ts';

/**
 * A subject's conversation (#36), in the subject's own partition (so export and erasure, which
 * read a subject whole, cover it): one item per message, sorted by when it was written.
 */

export interface AttachmentRecord {
  filename: string;
  contentType: string;
  size: number;
  /** Where the file is kept, if it was (functions/adapters/attachments.ts); why not, if not. */
  key?: string;
  refused?: string;
}

export interface ConversationMessage {
  messageId: string;
  kind: MessageKind;
  at: string;
  /** A staff actor (`staff:lead-chen`) for notes and replies; the sender's address for the customer's. */
  author: string;
  /** The new words (for an email: without the history it quotes). */
  text: string;
  /** The history an email quoted, kept to be shown on request. */
  quoted?: string;
  /** Staff a note mentions (each emailed once). */
  mentions?: string[];
  /** The email's subject line and ids, for threading. */
  emailSubject?: string;
  /** An inbound email's `Message-ID`, which our next reply answers (`In-Reply-To`). */
  emailMessageId?: string;
  /** The id SES gave a reply it sent. */
  sesMessageId?: string;
  attachments?: AttachmentRecord[];
  /** A customer's email that came after the subject ended: shown, it reopens nothing (staff decide). */
  afterEnd?: true;
}

const MESSAGE_PREFIX = 'MESSAGE#';

/** True for a conversation's items in a subject's partition (not the subject itself). */
export const isMessageItem = (sk: string) => sk.startsWith(MESSAGE_PREFIX);

export const newMessageId = (at: Date) => `msg_${at.getTime().toString(36)}${randomBytes(5).toString('hex')}`;

/**
 * The id of a message taken in from an email: derived from its `Message-ID` (or its bytes), so
 * the same email delivered twice (SES retries its Lambda action; SMTP clients resend) is one.
 */
export function inboundMessageId(emailMessageId: string | undefined, raw: Uint8Array): string {
  const digest = createHash('sha256')
    .update(emailMessageId ?? raw)
    .digest('hex');
  return `msg_in${digest.slice(0, 20)}`;
}

// By id alone, so that the same email taken in twice is one item; read back in time order.
const messageKey = (tenantId: string, subjectId: string, messageId: string) => ({
  pk: subjectPartition(tenantId, subjectId),
  sk: `${MESSAGE_PREFIX}${messageId}`,
});

/** Adds a message; false when one with its id is already there (a retried delivery). */
export function addMessage(
  tenantId: string,
  subjectId: string,
  message: ConversationMessage,
): Promise<boolean> {
  return putNew({ ...messageKey(tenantId, subjectId, message.messageId), ...message });
}

export async function conversationOf(tenantId: string, subjectId: string): Promise<ConversationMessage[]> {
  const items = await queryAll<ConversationMessage & { pk: string; sk: string }>({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': subjectPartition(tenantId, subjectId), ':prefix': MESSAGE_PREFIX },
  });
  return items
    .map((item) => withoutKeys(item))
    .sort((a, b) => a.at.localeCompare(b.at) || a.messageId.localeCompare(b.messageId));
}

// --- reply addresses -----------------------------------------------------------------------------

export interface ReplyThread {
  tenantId: string;
  subjectId: string;
}

const replyThreadKey = (token: string) => ({ pk: `REPLY-ADDRESS#${token}`, sk: 'REPLY-ADDRESS' });

/**
 * A subject's reply token (domain/conversation.ts), recorded so an inbound email addressed to it
 * finds the subject. The same subject always gets the same token.
 */
export async function replyTokenFor(tenantId: string, subjectId: string): Promise<string> {
  const token = replyTokenOf(await keyedDigest('reply-address', `${tenantId}\n${subjectId}`));
  await putNew({ ...replyThreadKey(token), tenantId, subjectId });
  return token;
}

export async function threadOfToken(token: string): Promise<ReplyThread | undefined> {
  const item = await getItem<ReplyThread>(replyThreadKey(token));
  return item ? { tenantId: item.tenantId, subjectId: item.subjectId } : undefined;
}

// --- mail held for review ------------------------------------------------------------------------

export interface HeldMail {
  heldId: string;
  at: string;
  reason: 'no-subject' | 'unauthenticated' | 'spam' | 'virus' | 'unknown-sender' | 'automated';
  from: string;
  to: string[];
  emailSubject: string;
  /** The subject it names, if it named one. */
  subjectId?: string;
  text: string;
  attachments: AttachmentRecord[];
}

/**
 * Mail no conversation takes in is kept for a person to look at, never dropped: the tenant's
 * staff review what names one of its subjects; what names none is the operators' (`OPERATOR`).
 */
const heldPartition = (tenantId: string | undefined) =>
  `${tenantId ? `TENANT#${tenantId}` : 'OPERATOR'}#HELD-MAIL`;

/** Held mail nobody looked at goes after this (the raw email, on AWS, after 90 days too). */
const HELD_MAIL_KEPT_SECONDS = 90 * 24 * 3600;

const heldKey = (tenantId: string | undefined, held: Pick<HeldMail, 'at' | 'heldId'>) => ({
  pk: heldPartition(tenantId),
  sk: `${held.at}#${held.heldId}`,
});

export function holdMail(tenantId: string | undefined, held: HeldMail): Promise<boolean> {
  return putNew({
    ...heldKey(tenantId, held),
    ...held,
    expiresAt: Math.floor(Date.parse(held.at) / 1000) + HELD_MAIL_KEPT_SECONDS,
  });
}

export async function heldMailById(tenantId: string, heldId: string): Promise<HeldMail | undefined> {
  return (await heldMailOf(tenantId)).find((held) => held.heldId === heldId);
}

/** Staff decided (took it into a conversation, or dismissed it): no longer held. */
export function releaseHeldMail(tenantId: string | undefined, held: HeldMail): Promise<void> {
  return deleteItem(heldKey(tenantId, held));
}

/** Held mail from these addresses (clause 12: erased with the customer). */
export async function forgetHeldMailFrom(tenantId: string, addresses: readonly string[]): Promise<void> {
  const from = new Set(addresses.map((address) => address.toLowerCase()));
  for (const held of await heldMailOf(tenantId))
    if (from.has(held.from.toLowerCase())) await releaseHeldMail(tenantId, held);
}

export async function heldMailOf(tenantId: string | undefined): Promise<HeldMail[]> {
  const items = await queryAll<HeldMail & { pk: string; sk: string; expiresAt?: number }>({
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': heldPartition(tenantId) },
    ScanIndexForward: false,
  });
  return items.map(({ expiresAt: _expiresAt, ...held }) => withoutKeys(held) as HeldMail);
}
