import * as z from './zod.ts';

/**
 * A request or feedback case is a conversation (#36): what the customer wrote to us, our replies
 * to them, and staff's internal notes (never emailed). The rules here are pure: what a note's
 * mentions are, which address leads a reply back to its subject, what of an email is the
 * customer's new words, and which mail must never be answered or shown without a person's look.
 */

export type MessageKind = 'note' | 'reply' | 'customer';

const messageText = z.string().check(z.trim(), z.minLength(1), z.maxLength(10_000));

/** A staff note: `@staffId` mentions a colleague, who is emailed a link. */
export const noteSchema = z.strictObject({ text: messageText });

/** A reply to the customer, emailed in the tenant's name. */
export const replySchema = z.strictObject({ text: messageText });

/** Taking held mail into a conversation: the subject it named, or the one staff choose. */
export const acceptHeldMailSchema = z.strictObject({
  subjectId: z.optional(z.string().check(z.regex(/^(sr|fb)_[a-z0-9_]{1,80}$/))),
});

/** The staff ids a note mentions (`@lead-chen`), among those given, each once, in order. */
export function mentionedStaffIds(text: string, staffIds: readonly string[]): string[] {
  const known = new Set(staffIds);
  const found: string[] = [];
  for (const [, id] of text.matchAll(/(?:^|[^\w@.])@([A-Za-z0-9_-]{1,80})/g))
    if (id && known.has(id) && !found.includes(id)) found.push(id);
  return found;
}

/**
 * A subject's reply token: 20 characters of an HMAC of tenant and subject, lowercase base32
 * (mail systems may fold an address's case), so 100 bits no one can guess and that name
 * nothing by themselves; the table maps a token to its subject.
 */
export const REPLY_TOKEN = /^[a-z2-7]{20}$/;

export function replyTokenOf(digest: Uint8Array): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let bits = 0;
  let value = 0;
  let token = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && token.length < 20) {
      token += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return token;
}

/** The address a customer's Reply reaches: `reply+<token>@<inbound mail domain>`. */
export const replyAddress = (token: string, domain: string) => `reply+${token}@${domain}`;

/** The reference every email of a subject's thread carries, so a client's Reply also names it. */
export const threadReference = (token: string, domain: string) => `<thread.${token}@${domain}>`;

/**
 * The reply token an inbound email is addressed to (its recipients first, then the message ids
 * it answers), if any of them is one of ours.
 */
export function replyTokenIn(
  mail: { recipients: readonly string[]; references: readonly string[] },
  domain: string,
): string | undefined {
  const ours = domain.toLowerCase();
  for (const recipient of mail.recipients) {
    const match = /^reply\+([a-z2-7]{20})@(.+)$/i.exec(recipient.trim());
    if (match && match[2]!.toLowerCase() === ours) return match[1]!.toLowerCase();
  }
  for (const reference of mail.references) {
    const match = /^<?thread\.([a-z2-7]{20})@([^>]+)>?$/i.exec(reference.trim());
    if (match && match[2]!.toLowerCase() === ours) return match[1]!.toLowerCase();
  }
  return undefined;
}

/**
 * Mail written by a machine (an out-of-office, a bounce, a list): never answered, never taken
 * as the customer's words (RFC 3834 `Auto-Submitted`, the common `Precedence` and Microsoft's
 * `X-Auto-Response-Suppress`, delivery reports, the null return path).
 */
export function isAutomatedMail(mail: {
  headers: Readonly<Record<string, string>>;
  from: string;
  contentType?: string;
}): boolean {
  const header = (name: string) => mail.headers[name]?.trim().toLowerCase();
  const autoSubmitted = header('auto-submitted');
  if (autoSubmitted !== undefined && autoSubmitted !== 'no') return true;
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(header('precedence') ?? '')) return true;
  if (header('x-autoreply') !== undefined || header('x-autorespond') !== undefined) return true;
  if (/\b(all|oof|autoreply)\b/.test(header('x-auto-response-suppress') ?? '')) return true;
  if (header('list-id') !== undefined || header('list-unsubscribe') !== undefined) return true;
  if (header('return-path') === '<>') return true;
  if (/^(mailer-daemon|postmaster)@/i.test(mail.from.trim())) return true;
  return /^multipart\/report\b/i.test(mail.contentType ?? header('content-type') ?? '');
}

/** The lines that begin quoted history in the clients our customers use (English and Chinese). */
const HISTORY_STARTS = [
  /^On .{1,300} wrote:\s*$/,
  /^在.{1,300}写道[:：]\s*$/,
  /^-{2,}\s*(Original Message|原始邮件|原始郵件)\s*-{2,}\s*$/i,
  /^_{10,}\s*$/,
  /^(From|发件人|寄件者)\s*[:：].+$/,
];

/**
 * An email's new words and the history it quotes. Cut only where a client marks history (a
 * "wrote:" line, an original-message rule, a header block, `>` lines to the end) or at a
 * signature's `-- ` line; when nothing would be left, nothing is cut.
 */
export function newWordsOf(text: string): { words: string; quoted: string } {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let cut = lines.findIndex(
    (line, i) =>
      HISTORY_STARTS.some((start) => start.test(line.trim())) ||
      line === '-- ' ||
      (line.startsWith('>') && lines.slice(i).every((rest) => rest.startsWith('>') || rest.trim() === '')),
  );
  if (cut === -1) cut = lines.length;
  const words = lines.slice(0, cut).join('\n').trim();
  if (words === '') return { words: text.trim(), quoted: '' };
  return { words, quoted: lines.slice(cut).join('\n').trim() };
}

/**
 * How much of an email's words a message keeps (a DynamoDB item holds 400 KB): the rest is in
 * the raw email, kept with it.
 */
export const EMAIL_TEXT_MAX = 50_000;

export function keptText(text: string): string {
  return text.length <= EMAIL_TEXT_MAX ? text : `${text.slice(0, EMAIL_TEXT_MAX)}\n[…]`;
}

/** SES's receipt verdicts (on AWS) or the local stand-in's. */
export interface MailVerdicts {
  spf: string;
  dkim: string;
  dmarc: string;
  spam: string;
  virus: string;
}

/**
 * Why an inbound email is held for a person to look at instead of joining a conversation, if
 * it is: its sender's domain did not authenticate it (neither SPF nor DKIM passed, or DMARC
 * failed), it carries spam or a virus, or it comes from an address the subject does not know.
 */
export function holdReason(
  verdicts: MailVerdicts,
  from: string,
  knownAddresses: readonly string[],
): 'unauthenticated' | 'spam' | 'virus' | 'unknown-sender' | undefined {
  if (verdicts.virus === 'FAIL') return 'virus';
  if (verdicts.spam === 'FAIL') return 'spam';
  const authenticated = verdicts.spf === 'PASS' || verdicts.dkim === 'PASS';
  if (!authenticated || verdicts.dmarc === 'FAIL') return 'unauthenticated';
  const sender = from.trim().toLowerCase();
  if (!knownAddresses.some((address) => address.trim().toLowerCase() === sender)) return 'unknown-sender';
  return undefined;
}

/** What a customer may send us, and how large (SES receives up to 40 MB per email). */
export const ATTACHMENT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'application/pdf',
] as const;
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

/** The type a file's first bytes show, whatever its name or its declared type says. */
export function sniffedType(head: Uint8Array): (typeof ATTACHMENT_TYPES)[number] | undefined {
  const starts = (...bytes: number[]) => bytes.every((byte, i) => head[i] === byte);
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...head.slice(8, 12)) === 'WEBP')
    return 'image/webp';
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  return undefined;
}

/**
 * Whether a file is one we keep: a photo or a PDF, by its content (its declared type may say
 * anything), within the size limit. The reason, in words staff read, when it is not.
 */
export function attachmentRefusal(file: { size: number; head: Uint8Array }): string | undefined {
  if (file.size > ATTACHMENT_MAX_BYTES) return `larger than ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB`;
  if (!sniffedType(file.head)) return 'not a photo (JPEG, PNG, GIF, WebP) or a PDF by its content';
  return undefined;
}
