import PostalMime, { type Address } from 'postal-mime';
import {
  attachmentRefusal,
  holdReason,
  isAutomatedMail,
  keptText,
  type MailVerdicts,
  newWordsOf,
  replyTokenIn,
  sniffedType,
} from '#domain/conversation.ts';
import { inboundMailDomain } from '../adapters/config.ts';
import {
  type AttachmentRecord,
  type ConversationMessage,
  type HeldMail,
  holdMail,
  inboundMessageId,
  threadOfToken,
} from '../adapters/conversations.ts';
import { addToConversation, conversationSubject } from '../shared/conversation.ts';
import { logger } from '../shared/logger.ts';

/**
 * A customer's email to one of our reply addresses (#36), however it arrived: SES receiving on
 * AWS (./handler.ts), the local SMTP server locally (local/smtp.ts). It joins its subject's
 * conversation, or is held for a person to look at; it is never dropped.
 */
export type TakenIn =
  | { outcome: 'added'; tenantId: string; subjectId: string; messageId: string; afterEnd: boolean }
  | { outcome: 'duplicate'; tenantId: string; subjectId: string; messageId: string }
  | { outcome: 'held'; tenantId?: string; reason: HeldMail['reason']; heldId: string };

const addressesOf = (addresses: Address[] | undefined): string[] =>
  (addresses ?? []).flatMap((a) => (a.group ? a.group.map((m) => m.address) : [a.address ?? '']));

/** `<a@x> <b@y>` as the ids it lists. */
const messageIds = (value: string | undefined) => value?.match(/<[^<>\s]+>/g) ?? [];

export async function takeInMail(
  raw: Uint8Array,
  envelope: { recipients: readonly string[]; verdicts: MailVerdicts; receivedAt: Date; rawKey?: string },
): Promise<TakenIn> {
  const email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
  const headers = Object.fromEntries(email.headers.map((h) => [h.key, h.value]));
  const from = email.from?.address ?? email.sender?.address ?? '';
  const at = envelope.receivedAt.toISOString();
  const messageId = inboundMessageId(email.messageId, raw);
  const { words: allWords, quoted: allQuoted } = newWordsOf(email.text ?? htmlAsText(email.html ?? ''));
  const [words, quoted] = [keptText(allWords), keptText(allQuoted)];
  const subjectLine = (email.subject ?? '').slice(0, 500);
  const attachments: AttachmentRecord[] = email.attachments.map((file) => {
    const bytes = new Uint8Array(file.content as ArrayBuffer);
    const refused = attachmentRefusal({ size: bytes.byteLength, head: bytes.subarray(0, 16) });
    return {
      filename: file.filename ?? 'attachment',
      contentType: sniffedType(bytes.subarray(0, 16)) ?? file.mimeType,
      size: bytes.byteLength,
      ...(refused ? { refused } : envelope.rawKey ? { key: envelope.rawKey } : {}),
    };
  });

  const domain = inboundMailDomain();
  const token = domain
    ? replyTokenIn(
        {
          recipients: [...envelope.recipients, ...addressesOf(email.to), ...addressesOf(email.cc)],
          references: [...messageIds(email.inReplyTo), ...messageIds(email.references)],
        },
        domain,
      )
    : undefined;
  const thread = token ? await threadOfToken(token) : undefined;
  const subject = thread ? await conversationSubject(thread.tenantId, thread.subjectId) : undefined;
  const hold = async (tenantId: string | undefined, reason: HeldMail['reason']): Promise<TakenIn> => {
    await holdMail(tenantId, {
      heldId: messageId,
      at,
      reason,
      from,
      to: [...envelope.recipients],
      emailSubject: subjectLine,
      ...(subject ? { subjectId: subject.subjectId } : {}),
      text: words,
      attachments,
    });
    logger.info('Inbound email held for review', { tenantId, reason, subjectId: subject?.subjectId });
    return { outcome: 'held', tenantId, reason, heldId: messageId };
  };

  // An out-of-office or a bounce is never answered (that is how mail loops start) nor taken as words.
  if (isAutomatedMail({ headers, from })) return hold(subject?.tenantId, 'automated');
  if (!subject) return hold(undefined, 'no-subject');
  const known = subject.customer ? [subject.customer.email] : [];
  const reason = holdReason(envelope.verdicts, from, known);
  if (reason) return hold(subject.tenantId, reason);

  const message: ConversationMessage = {
    messageId,
    kind: 'customer',
    at,
    author: from,
    text: words,
    ...(quoted ? { quoted } : {}),
    emailSubject: subjectLine,
    // Kept only in the form a header can carry back (SES refuses anything else in In-Reply-To).
    ...(email.messageId && /^<[\x21-\x7e]{1,900}>$/.test(email.messageId)
      ? { emailMessageId: email.messageId }
      : {}),
    ...(attachments.length > 0 ? { attachments } : {}),
    ...(subject.ended ? { afterEnd: true as const } : {}),
  };
  const ids = { tenantId: subject.tenantId, subjectId: subject.subjectId, messageId };
  const added = await addToConversation(
    subject,
    message,
    {
      at,
      type: subject.ended ? 'customer_wrote_after_end' : 'customer_wrote',
      actor: from,
      details: { messageId, ...(attachments.length > 0 ? { attachments: attachments.length } : {}) },
    },
    { lastCustomerMessageAt: at },
  );
  if (!added) return { outcome: 'duplicate', ...ids };
  return { outcome: 'added', ...ids, afterEnd: subject.ended };
}

/** An HTML-only email's words: tags dropped, breaks kept (shown as text, never as HTML). */
function htmlAsText(html: string): string {
  return html
    .replace(/<(br|\/p|\/div|\/li|\/tr)\b[^>]*>/gi, '\n')
    .replace(/<(style|script)\b[\s\S]*?<\/\1>/gi, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
