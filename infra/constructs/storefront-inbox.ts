import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunctionResource } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { STOREFRONT_INBOX_QUEUE } from '#functions/catalog.ts';
import { deadLetterQueue } from './dead-letters.ts';

export interface StorefrontInboxProps {
  /** What takes deliveries from the inbox (functions/storefront-inbox). */
  consumer: LambdaFunctionResource;
}

/**
 * The storefront inbox (#33): the webhooks function keeps each authenticated delivery here before
 * anything else can fail, and answers the storefront; the consumer turns deliveries into requests
 * one at a time, a failure tried again after the visibility timeout and dead-lettered (alarmed)
 * after many. Locally local/sqs.ts stands in for it.
 */
export class StorefrontInbox extends Construct {
  readonly queue: Queue;
  /** Deliveries that failed every try: alarmed on by Observability; redrive them once fixed. */
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: StorefrontInboxProps) {
    super(scope, id);
    this.deadLetters = deadLetterQueue(this, 'DeadLetters', 'the storefront inbox');
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(STOREFRONT_INBOX_QUEUE.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(14),
      // Deliveries up to the webhook's limit, kept base64 (SQS holds up to 1 MiB).
      maxMessageSizeBytes: 1024 * 1024,
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: STOREFRONT_INBOX_QUEUE.maxReceiveCount },
    });
    props.consumer.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 1, reportBatchItemFailures: true }),
    );
  }

  /** The webhooks function keeps deliveries here (SendMessage, nothing else). */
  allowKeeping(fn: LambdaFunctionResource): void {
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
    );
    fn.addEnvironment('STOREFRONT_INBOX_QUEUE_URL', this.queue.queueUrl);
  }
}
