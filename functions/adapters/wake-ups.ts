import { createHash } from 'node:crypto';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { config } from './config.ts';
import type { StartBurstRequest } from './workflows.ts';

/**
 * A parked lifecycle's next wake-up: an EventBridge Scheduler one-time schedule (#17) whose target
 * is the universal `sfn:startExecution`, so the burst it starts is named by us. Deleted by
 * Scheduler once fired; tried again for an hour on failure, then sent to the dead-letter queue
 * (the reconciler's due-time index catches what is lost either way).
 */
const scheduler = new SchedulerClient({
  requestHandler: { requestTimeout: 5_000, connectionTimeout: 2_000 },
});

/** EventBridge Scheduler's universal target for Step Functions' StartExecution. */
export const START_EXECUTION_TARGET = 'arn:aws:scheduler:::aws-sdk:sfn:startExecution';

/** How long Scheduler tries a failing start before dead-lettering it. */
const RETRY_FOR_SECONDS = 3600;

/**
 * Schedule names are unique per group and ≤ 64 characters: the subject id (ids are time-ordered
 * and random), a short hash of the tenant (ids are not guaranteed unique across tenants), and the
 * generation that parked (so the next wake-up never collides with the one it replaces).
 */
export function wakeUpName(tenantId: string, subjectId: string, generation: number): string {
  const tenant = createHash('sha256').update(tenantId).digest('hex').slice(0, 8);
  return `${subjectId}.${tenant}.g${generation}`;
}

/** `at()` takes a local date-time to the second; ours are in UTC. */
const atExpression = (at: Date) => `at(${at.toISOString().slice(0, 19)})`;

/** Creates the wake-up; one already made under this name (a retried step) is success. */
export async function scheduleWakeUp(name: string, at: Date, burst: StartBurstRequest): Promise<void> {
  const { WAKE_UP_SCHEDULE_GROUP, WAKE_UP_ROLE_ARN, WAKE_UP_DEAD_LETTER_ARN } = config();
  try {
    await scheduler.send(
      new CreateScheduleCommand({
        Name: name,
        GroupName: WAKE_UP_SCHEDULE_GROUP,
        ScheduleExpression: atExpression(at),
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: {
          Arn: START_EXECUTION_TARGET,
          RoleArn: WAKE_UP_ROLE_ARN,
          Input: JSON.stringify({
            StateMachineArn: burst.stateMachineArn,
            Name: burst.name,
            Input: burst.input,
          }),
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: RETRY_FOR_SECONDS },
          ...(WAKE_UP_DEAD_LETTER_ARN ? { DeadLetterConfig: { Arn: WAKE_UP_DEAD_LETTER_ARN } } : {}),
        },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConflictException)) throw error;
  }
}

/** Deletes a wake-up that is no longer wanted; one already gone (fired, deleted) is success. */
export async function cancelWakeUp(name: string | undefined): Promise<void> {
  if (!name) return;
  try {
    await scheduler.send(
      new DeleteScheduleCommand({ Name: name, GroupName: config().WAKE_UP_SCHEDULE_GROUP }),
    );
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
}
