import { ArnFormat, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letters.ts';

export interface WakeUpsProps {
  /** The lifecycles' state machines (by name: the functions that park must not reference them). */
  stateMachineArns: string[];
}

/**
 * Where parked lifecycles keep their next wake-up (#17, functions/adapters/wake-ups.ts): a
 * schedule group of one-time schedules, the role EventBridge Scheduler assumes to start a burst,
 * and the dead-letter queue of a wake-up that could not start one for an hour (alarmed; the
 * reconciler's due-time index starts the burst anyway).
 */
export class WakeUps extends Construct {
  readonly group: ScheduleGroup;
  readonly role: Role;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: WakeUpsProps) {
    super(scope, id);
    this.group = new ScheduleGroup(this, 'Group', {
      scheduleGroupName: `${Stack.of(this).stackName}-wake-ups`,
    });
    this.deadLetters = deadLetterQueue(this, 'DeadLetters', 'the lifecycle wake-ups');
    this.role = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Scheduler starting a lifecycle burst at its wake-up',
    });
    this.role.addToPolicy(
      new PolicyStatement({ actions: ['states:StartExecution'], resources: props.stateMachineArns }),
    );
    this.deadLetters.grantSendMessages(this.role);
  }

  /** A step function that parks: creates and deletes schedules in the group, passes the role. */
  allowParking(fn: LambdaFunction): void {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
        resources: [
          Stack.of(this).formatArn({
            service: 'scheduler',
            resource: 'schedule',
            resourceName: `${this.group.scheduleGroupName}/*`,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        ],
      }),
    );
    fn.addToRolePolicy(new PolicyStatement({ actions: ['iam:PassRole'], resources: [this.role.roleArn] }));
    fn.addEnvironment('WAKE_UP_SCHEDULE_GROUP', this.group.scheduleGroupName);
    fn.addEnvironment('WAKE_UP_ROLE_ARN', this.role.roleArn);
    fn.addEnvironment('WAKE_UP_DEAD_LETTER_ARN', this.deadLetters.queueArn);
  }
}
