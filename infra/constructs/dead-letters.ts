import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from './nag.ts';

/**
 * A dead-letter queue: encrypted, TLS only, kept 14 days for someone to read. Observability
 * alarms on every one the stack passes it.
 */
export function deadLetterQueue(scope: Construct, id: string, deadLettersOf: string): Queue {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  acknowledge(queue, 'SQS3', `This queue is itself the dead-letter queue of ${deadLettersOf}.`);
  return queue;
}
