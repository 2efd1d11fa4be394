import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import type { SESEvent, SESReceiptStatus } from 'aws-lambda';
import { now } from '../adapters/clock.ts';
import { config } from '../adapters/config.ts';
import { logger } from '../shared/logger.ts';
import { takeInMail } from './take-in.ts';

const s3 = new S3Client({ requestHandler: { requestTimeout: 10_000, connectionTimeout: 3_000 } });

const verdict = (status: SESReceiptStatus | undefined) => status?.status ?? 'GRAY';

/**
 * SES receiving's Lambda action (infra/constructs/inbound-mail.ts): the receipt rule first
 * stores the raw email in the inbound bucket (its S3 action), then invokes this with the
 * receipt's verdicts. A failure is retried by Lambda (asynchronous invocation, twice) and the
 * email stays in the bucket; taking the same email in again changes nothing.
 */
export const handler = middy<SESEvent, void>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const bucket = config().INBOUND_MAIL_BUCKET;
    if (!bucket) throw new Error('INBOUND_MAIL_BUCKET is not set');
    for (const record of event.Records) {
      const { mail, receipt } = record.ses;
      const key = `${config().INBOUND_MAIL_PREFIX}${mail.messageId}`;
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const raw = await object.Body!.transformToByteArray();
      const taken = await takeInMail(raw, {
        recipients: receipt.recipients,
        verdicts: {
          spf: verdict(receipt.spfVerdict),
          dkim: verdict(receipt.dkimVerdict),
          dmarc: verdict(receipt.dmarcVerdict),
          spam: verdict(receipt.spamVerdict),
          virus: verdict(receipt.virusVerdict),
        },
        receivedAt: now(),
        rawKey: key,
      });
      logger.info('Inbound email taken in', { sesMessageId: mail.messageId, ...taken });
    }
  });
