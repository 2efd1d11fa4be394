import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { KeptDelivery } from '../storefronts/delivery.ts';
import { config } from './config.ts';

const sqs = new SQSClient({ requestHandler: { requestTimeout: 5_000, connectionTimeout: 2_000 } });

/**
 * The storefront inbox (#33): a delivery is kept here, in SQS, as soon as it is received and
 * authenticated, before anything that can fail; the storefront is answered 2xx then, and the
 * inbox's consumer (functions/storefront-inbox) turns it into requests, retried until it can.
 * WooCommerce never retries a delivery: one kept here is never lost to an outage behind it.
 */
export async function keepDelivery(delivery: KeptDelivery): Promise<string> {
  const queueUrl = config().STOREFRONT_INBOX_QUEUE_URL;
  if (!queueUrl) throw new Error('STOREFRONT_INBOX_QUEUE_URL is not set');
  const sent = await sqs.send(
    new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(delivery) }),
  );
  return sent.MessageId ?? '';
}
