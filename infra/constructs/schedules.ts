import { type CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunctionResource } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DAILY_RUN_QUEUE } from '#functions/catalog.ts';
import { deadLetterQueue } from './dead-letters.ts';
import { acknowledge } from './nag.ts';

export interface SchedulesProps {
  campaigns: LambdaFunctionResource;
  reconciler: LambdaFunctionResource;
}

/**
 * EventBridge Scheduler: the daily campaigns run (periodic follow-up visits, 3.1c) and, every
 * five minutes, the lifecycle reconciler. The daily run fans out: the schedule's invocation
 * queues one message per tenant, and the same function takes them from the queue one tenant at a
 * time; a tenant that keeps failing goes to its own dead-letter queue. Locally the runtime's
 * clock runs the same functions at each midnight UTC and every five minutes, and local/sqs.ts
 * stands in for the queue.
 */
export class Schedules extends Construct {
  /** Runs the scheduler could not deliver after its retries: alarmed on by Observability. */
  readonly deadLetters: Queue;
  /** Tenants whose daily run failed DAILY_RUN_QUEUE.maxReceiveCount times: alarmed on too. */
  readonly dailyRunFailures: Queue;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    this.deadLetters = deadLetterQueue(this, 'DeadLetters', 'the daily schedule');
    this.dailyRunFailures = deadLetterQueue(this, 'DailyRunFailures', 'the daily run');
    const dailyRuns = new Queue(this, 'DailyRuns', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(DAILY_RUN_QUEUE.visibilityTimeoutSeconds),
      // A day: a message older than that is a run the next day's makes up.
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: this.dailyRunFailures, maxReceiveCount: DAILY_RUN_QUEUE.maxReceiveCount },
    });
    // SendMessageBatch is authorized as sqs:SendMessage; nothing else is called.
    props.campaigns.addToRolePolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [dailyRuns.queueArn] }),
    );
    props.campaigns.addEnvironment('DAILY_RUN_QUEUE_URL', dailyRuns.queueUrl);
    props.campaigns.addEventSource(
      new SqsEventSource(dailyRuns, {
        batchSize: 1,
        reportBatchItemFailures: true,
        maxConcurrency: DAILY_RUN_QUEUE.maxConcurrency,
      }),
    );
    const target = new LambdaInvoke(props.campaigns, {
      input: ScheduleTargetInput.fromObject({}),
      retryAttempts: 3,
      maxEventAge: Duration.hours(6),
      deadLetterQueue: this.deadLetters,
    });
    new Schedule(this, 'DailyCampaigns', {
      description: 'Opens the follow-up visits that are due',
      schedule: ScheduleExpression.cron({ minute: '0', hour: '0' }),
      target,
    });
    new Schedule(this, 'LifecycleReconciler', {
      description:
        'Starts a burst for every lifecycle past its due time (a lost or late wake-up, a failed burst)',
      schedule: ScheduleExpression.rate(Duration.minutes(5)),
      // A missed run is made up by the next one five minutes later: no retries, no dead letters.
      target: new LambdaInvoke(props.reconciler, {
        input: ScheduleTargetInput.fromObject({}),
        retryAttempts: 0,
        maxEventAge: Duration.minutes(5),
      }),
    });
    // The scheduler's role (created by CDK at the stack root) may invoke versions of these functions.
    const stack = Stack.of(this);
    for (const fn of [props.campaigns, props.reconciler]) {
      const logicalId = stack.getLogicalId(fn.node.defaultChild as CfnElement);
      acknowledge(
        stack,
        `IAM5[Resource::<${logicalId}.Arn>:*]`,
        'EventBridge Scheduler invoking versions of our own scheduled function; nothing else.',
      );
    }
  }
}
