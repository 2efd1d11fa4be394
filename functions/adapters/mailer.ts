import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { EmailSender } from '#domain/email-sender.ts';
import { isErasedAddress } from '#domain/personal-data.ts';
import { alarmedLogMessages } from '../shared/alarmed-logs.ts';
import { logger } from '../shared/logger.ts';
import { now } from './clock.ts';
import { config } from './config.ts';
import { knownSenderOf, senderWith, type TenantSending } from './sending-domains.ts';
import { type Suppression, suppressionKeys, suppressionsIn } from './suppressions.ts';
import { getItem, getItems, keys, putNew, updateIf } from './table.ts';

/**
 * A hung connection must become an error the step can retry, not a task that never returns:
 * 10 s per attempt, 3 attempts (the SDK's own retries). Adaptive retries pace the sends: once SES
 * answers "Throttling", the client's token bucket slows every later send of this instance to
 * the rate SES accepts, instead of each send failing on its own and the step retrying them all.
 */
const ses = new SESv2Client({
  maxAttempts: 3,
  retryMode: 'adaptive',
  requestHandler: { requestTimeout: 10_000, connectionTimeout: 3_000 },
});

export interface EmailMessage {
  to: string[];
  subject: string;
  html: string;
  text: string;
  /** Where the recipient's Reply goes instead of the tenant's own Reply-To (a conversation's reply address). */
  replyTo?: string[];
  /** Threading headers (`In-Reply-To`, `References`): SES sets the `Message-ID` itself. */
  headers?: { name: string; value: string }[];
}

export type SendOutcome =
  | { sent: true; messageId: string }
  | { sent: false; reason: 'already-sent' }
  /** SES refused this message for good (an address it will not send to): recorded, never retried. */
  | { sent: false; reason: 'rejected'; detail: string };

/** Kept long enough to outlive any retry or redelivery of the step that sends. */
const CLAIM_RETENTION_SECONDS = 90 * 24 * 3600;

/**
 * How long a claim belongs to the attempt that wrote it: longer than the slowest send (above),
 * shorter than the workflow's retries of a step (several minutes), so a send interrupted by a
 * crash, a hang or a timeout is made again by a later attempt.
 */
const CLAIM_LEASE_SECONDS = 120;

/** An earlier attempt holds the claim and may be sending now: retry after its lease. */
export class EmailInDoubtError extends Error {
  override name = 'EmailInDoubt';
}

/** SES errors that reject this message for good (the address, not the service). */
const REJECTIONS = new Set(['MessageRejected', 'BadRequestException']);

type Claim = {
  state: 'sending' | 'released' | 'sent' | 'rejected';
  attempt?: number;
  leaseUntil?: number;
  detail?: string;
};

/**
 * The recipients' suppressions and the tenant's sender, in one read: the sending domain is
 * asked with the suppressions unless this instance read it within the last minute.
 */
async function suppressionsAndSender(
  tenant: TenantSending,
  addresses: readonly string[],
): Promise<{ suppressed: Suppression[]; sender: EmailSender }> {
  const known = knownSenderOf(tenant);
  const found = await getItems([
    ...suppressionKeys(tenant.tenantId, addresses),
    ...(known ? [] : [keys.sendingDomain(tenant.tenantId)]),
  ]);
  return {
    suppressed: suppressionsIn(found.slice(0, addresses.length)),
    sender: known ?? senderWith(tenant, found[addresses.length]),
  };
}

/**
 * The one mailer. Each logical email (its idempotency key) is sent at least once, and a retry
 * of a step that already sent it sends nothing: a claim is written before the send and marked
 * sent after. If SES fails, the claim is released and the error goes to the caller. If the
 * attempt dies between the claim and the mark (a crash, a hang, a task timeout), the claim's
 * lease runs out and a later attempt sends again, logged and alarmed: a rare duplicate is
 * acceptable, a silent loss is not. An address SES rejects is recorded as such and reported,
 * never fatal to the workflow that sends.
 */
export async function sendOnce(
  tenant: TenantSending,
  idempotencyKey: string,
  message: EmailMessage,
): Promise<SendOutcome> {
  const { tenantId } = tenant;
  const key = keys.email(tenantId, idempotencyKey);
  const at = now();
  const leaseUntil = Math.floor(at.getTime() / 1000) + CLAIM_LEASE_SECONDS;
  let attempt = 1;
  const claimed = await putNew({
    ...key,
    state: 'sending',
    attempt,
    leaseUntil,
    // How many, not who: the record of an email names no customer (clause 12); the subject's id is in its key.
    recipients: message.to.length,
    claimedAt: at.toISOString(),
    expiresAt: Math.floor(at.getTime() / 1000) + CLAIM_RETENTION_SECONDS,
  });
  if (!claimed) {
    const claim = await getItem<Claim>(key);
    if (claim?.state === 'sent') return { sent: false, reason: 'already-sent' };
    if (claim?.state === 'rejected') return { sent: false, reason: 'rejected', detail: claim.detail ?? '' };
    const inDoubt = claim?.state === 'sending';
    if (!claim || (inDoubt && (claim.leaseUntil ?? 0) > at.getTime() / 1000)) {
      throw new EmailInDoubtError(`email ${idempotencyKey} is being sent by an earlier attempt`);
    }
    // An earlier attempt failed (released), or its lease ran out with no result: send again.
    attempt = (claim.attempt ?? 1) + 1;
    const taken = await updateIf(key, {
      UpdateExpression: 'SET #state = :sending, attempt = :attempt, leaseUntil = :lease',
      ConditionExpression:
        '#state = :previousState AND (attribute_not_exists(attempt) OR attempt = :previous)',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':attempt': attempt,
        ':previous': claim.attempt ?? 1,
        ':previousState': claim.state,
        ':lease': leaseUntil,
        ':sending': 'sending',
      },
    });
    if (!taken) throw new EmailInDoubtError(`email ${idempotencyKey} was taken over by another attempt`);
    if (inDoubt)
      logger.warn(alarmedLogMessages.emailSendInDoubt.message, { tenantId, idempotencyKey, attempt });
  }

  let messageId: string;
  const subject = subjectOfKey(idempotencyKey);
  try {
    // Addresses that bounced for good or complained are not emailed again (functions/email-events).
    const { suppressed, sender } = await suppressionsAndSender(tenant, message.to);
    // An erased customer's address is in `.invalid` (domain/personal-data.ts): it receives nothing.
    const to = message.to.filter(
      (address) =>
        !isErasedAddress(address) &&
        !suppressed.some((s) => s.address.toLowerCase() === address.toLowerCase()),
    );
    if (to.length === 0) {
      const reasons = suppressed.map((s) => `${s.address} (${s.reason} ${s.at.slice(0, 10)})`);
      if (message.to.some(isErasedAddress)) reasons.push('the customer was erased');
      const detail = `suppressed: ${reasons.join(', ')}`;
      await settleClaim(key, attempt, { state: 'rejected', detail });
      logger.warn('Email not sent: every recipient is suppressed', { tenantId, idempotencyKey, detail });
      return { sent: false, reason: 'rejected', detail };
    }
    const result = await ses.send(
      new SendEmailCommand({
        // The tenant's name, from its own domain once verified, else ours with its Reply-To.
        FromEmailAddress: sender.from,
        ReplyToAddresses: message.replyTo ?? sender.replyTo,
        Destination: { ToAddresses: to },
        ConfigurationSetName: config().MAIL_CONFIGURATION_SET,
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: {
              Html: { Data: message.html, Charset: 'UTF-8' },
              Text: { Data: message.text, Charset: 'UTF-8' },
            },
            ...(message.headers
              ? { Headers: message.headers.map(({ name, value }) => ({ Name: name, Value: value })) }
              : {}),
          },
        },
        // Published with SES's bounce and complaint events: whose email, about what.
        EmailTags: [
          { Name: 'tenant', Value: tenantId },
          ...(subject ? [{ Name: 'subject', Value: subject }] : []),
        ],
      }),
    );
    messageId = result.MessageId ?? '';
  } catch (error) {
    const name = (error as Error).name;
    if (REJECTIONS.has(name)) {
      const detail = `${name}: ${(error as Error).message}`;
      await settleClaim(key, attempt, { state: 'rejected', detail });
      logger.error(alarmedLogMessages.emailRejected.message, {
        tenantId,
        idempotencyKey,
        to: message.to,
        detail,
      });
      return { sent: false, reason: 'rejected', detail };
    }
    // SES (or the suppression lookup) failed: released so that a retry sends at once; if even
    // this fails, the lease lets a later one send.
    await settleClaim(key, attempt, { state: 'released' }).catch(() => undefined);
    throw error;
  }
  await settleClaim(key, attempt, { state: 'sent', messageId, sentAt: now().toISOString() });
  return { sent: true, messageId };
}

/** The request, feedback case or periodic survey an email is about, from its idempotency key. */
export const subjectOfKey = (idempotencyKey: string) => /\b(?:sr|fb|ps)_[a-z0-9_]+/.exec(idempotencyKey)?.[0];

/** Records the outcome of this attempt's send, if the claim is still this attempt's. */
async function settleClaim(
  key: { pk: string; sk: string },
  attempt: number,
  outcome: { state: Exclude<Claim['state'], 'sending'> } & Record<string, string>,
): Promise<void> {
  const condition = {
    ConditionExpression: '#state = :sending AND attempt = :attempt',
    ExpressionAttributeNames: { '#state': 'state' },
  };
  const entries = Object.entries(outcome);
  await updateIf(key, {
    ...condition,
    UpdateExpression: `SET ${entries.map((_, i) => `#o${i} = :o${i}`).join(', ')}`,
    ExpressionAttributeNames: {
      ...condition.ExpressionAttributeNames,
      ...Object.fromEntries(entries.map(([name], i) => [`#o${i}`, name])),
    },
    ExpressionAttributeValues: {
      ':sending': 'sending',
      ':attempt': attempt,
      ...Object.fromEntries(entries.map(([, value], i) => [`:o${i}`, value])),
    },
  });
}
