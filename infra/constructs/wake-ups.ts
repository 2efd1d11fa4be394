import { ArnFormat, type CfnElement, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letters.ts';
import { acknowledge, nagEnvironment } from './nag.ts';

export interface WakeUpsProps {
  /** The lifecycles' state machines (by name: the functions that park must not reference them). */
  stateMachineArns: string[];
}

/**
 * Where parked lifecycles keep their next wake-up (#17, functions/adapters/wake-ups.ts): a
 * schedule group of one-time schedules, the role EventBridge Scheduler assumes to start a burst,
 * and the dead-letter queue of a wake-up that could not start one for an hour (alarmed; the
 * reconciler's due-time index starts the burst anyway).
 *
 * The group is named by CloudFormation and deleted with the stack (#32): deleting it deletes its
 * pending schedules, which would otherwise fire at state machines that no longer exist, and a
 * stack deployed again after `cdk destroy` gets a group of its own instead of failing on a
 * retained one of the same fixed name.
 */
export class WakeUps extends Construct {
  readonly group: CfnScheduleGroup;
  /** The group's name, as CloudFormation chose it. */
  readonly groupName: string;
  readonly role: Role;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: WakeUpsProps) {
    super(scope, id);
    this.group = new CfnScheduleGroup(this, 'Group', {});
    this.groupName = this.group.ref;
    this.deadLetters = deadLetterQueue(this, 'DeadLetters', 'the lifecycle wake-ups');
    this.role = new Role(this, 'SchedulerRole', {
      // Only our group's schedules act as this role: not another group's, not another account's.
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': Stack.of(this).account,
            'aws:SourceArn': this.group.attrArn,
          },
        },
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
    const stack = Stack.of(this);
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
        resources: [
          stack.formatArn({
            service: 'scheduler',
            resource: 'schedule',
            resourceName: `${this.groupName}/*`,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        ],
      }),
    );
    fn.addToRolePolicy(new PolicyStatement({ actions: ['iam:PassRole'], resources: [this.role.roleArn] }));
    fn.addEnvironment('WAKE_UP_SCHEDULE_GROUP', this.groupName);
    fn.addEnvironment('WAKE_UP_ROLE_ARN', this.role.roleArn);
    fn.addEnvironment('WAKE_UP_DEAD_LETTER_ARN', this.deadLetters.queueArn);
    const { account, region } = nagEnvironment(this);
    const group = stack.getLogicalId(this.group as CfnElement);
    acknowledge(
      fn,
      `IAM5[Resource::arn:<AWS::Partition>:scheduler:${region}:${account}:schedule/<${group}>/*]`,
      'Creating and deleting the one-time wake-up schedules of our own schedule group, named per request at run time.',
    );
  }
}
