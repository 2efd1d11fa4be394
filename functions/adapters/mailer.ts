import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { config } from './config.ts';
import { deleteItem, getItem, keys, putNew, updateIf } from './table.ts';

const ses = new SESv2Client({});

export interface EmailMessage {
  to: string[];
  subject: string;
  html: string;
  text: string;
  from?: string;
}

export type SendOutcome =
  | { sent: true; messageId: string }
  | { sent: false; reason: 'already-sent' | 'in-doubt' };

/** Kept long enough to outlive any retry or redelivery of the step that sends. */
const CLAIM_RETENTION_SECONDS = 90 * 24 * 3600;

/**
 * The one mailer: sends each logical email once per idempotency key, however often the
 * step that sends it is retried. A claim is written before the send and marked sent after;
 * if SES fails, the claim is released so a retry sends. If the process dies between SES's
 * acceptance and the mark, the claim stays "sending" and a retry does not send again: we
 * choose a possibly-missed duplicate over a certain one (DEVELOPERS: never double-send).
 */
export async function sendOnce(
  tenantId: string,
  idempotencyKey: string,
  message: EmailMessage,
): Promise<SendOutcome> {
  const key = keys.email(tenantId, idempotencyKey);
  const claimed = await putNew({
    ...key,
    state: 'sending',
    to: message.to,
    subject: message.subject,
    claimedAt: new Date().toISOString(),
    expiresAt: Math.floor(Date.now() / 1000) + CLAIM_RETENTION_SECONDS,
  });
  if (!claimed) {
    // A read tells a finished send from one in doubt; nothing needs writing for a retry.
    const claim = await getItem<{ state: string }>(key);
    return { sent: false, reason: claim?.state === 'sent' ? 'already-sent' : 'in-doubt' };
  }
  let messageId: string;
  try {
    const result = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: message.from ?? config().MAIL_FROM,
        Destination: { ToAddresses: message.to },
        ConfigurationSetName: config().MAIL_CONFIGURATION_SET,
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: {
              Html: { Data: message.html, Charset: 'UTF-8' },
              Text: { Data: message.text, Charset: 'UTF-8' },
            },
          },
        },
        EmailTags: [{ Name: 'tenant', Value: tenantId }],
      }),
    );
    messageId = result.MessageId ?? '';
  } catch (error) {
    await deleteItem(key);
    throw error;
  }
  await updateIf(key, {
    UpdateExpression: 'SET #state = :sent, messageId = :id, sentAt = :now',
    ExpressionAttributeNames: { '#state': 'state' },
    ExpressionAttributeValues: { ':sent': 'sent', ':id': messageId, ':now': new Date().toISOString() },
  });
  return { sent: true, messageId };
}
