import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START_EXECUTION_TARGET } from '#functions/adapters/wake-ups.ts';
import { createClock } from '#local/clock.ts';
import { dueTimeOf, type StartExecution, startLocalScheduler } from '#local/scheduler.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * The EventBridge Scheduler stand-in (#17: a lifecycle parks a long wait as a
 * one-time schedule), through the real @aws-sdk/client-scheduler, on the runtime's virtual clock:
 * a schedule starts its execution at its second and not before, is deleted once fired, survives
 * a restart, and a target that keeps failing ends in the dead letters.
 */
let runtime: TestRuntime;
let stateMachineArn: string;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const scheduler = () =>
  new SchedulerClient({ endpoint: runtime.urls.scheduler, region: 'us-east-1', credentials, maxAttempts: 1 });
const sfn = () => new SFNClient({ endpoint: runtime.urls.stepFunctions, region: 'us-east-1', credentials });

beforeAll(async () => {
  runtime = await startTestRuntime();
  const machine = await sfn().send(
    new CreateStateMachineCommand({
      name: 'woken',
      roleArn: 'arn:aws:iam::000000000000:role/local',
      definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } }),
    }),
  );
  stateMachineArn = machine.stateMachineArn!;
});
afterAll(async () => {
  await runtime?.dispose();
});

/** `at(…)` for `seconds` from the runtime's now, in UTC, as the code will write it. */
const atIn = (seconds: number) =>
  `at(${new Date(runtime.clock.now().getTime() + seconds * 1000).toISOString().slice(0, 19)})`;

const wakeUp = (name: string, seconds: number, machine = stateMachineArn, retries = 2) =>
  new CreateScheduleCommand({
    Name: name,
    GroupName: 'lifecycles',
    ScheduleExpression: atIn(seconds),
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    Target: {
      Arn: START_EXECUTION_TARGET,
      RoleArn: 'arn:aws:iam::000000000000:role/scheduler',
      Input: JSON.stringify({ StateMachineArn: machine, Name: `${name}-exec`, Input: '{"wake":true}' }),
      RetryPolicy: { MaximumRetryAttempts: retries, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:wake-ups-dlq' },
    },
  });

const executionOf = async (name: string) => {
  try {
    return await sfn().send(
      new DescribeExecutionCommand({
        executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`,
      }),
    );
  } catch {
    return undefined;
  }
};

describe('local EventBridge Scheduler', () => {
  it('starts the execution its schedule names at that second, not before, then deletes the schedule', async () => {
    await scheduler().send(wakeUp('sr-a-g1', 7200));
    const stored = await scheduler().send(
      new GetScheduleCommand({ Name: 'sr-a-g1', GroupName: 'lifecycles' }),
    );
    expect(stored).toMatchObject({
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      GroupName: 'lifecycles',
    });

    await runtime.advance(7199);
    expect(await executionOf('sr-a-g1-exec')).toBeUndefined();
    await runtime.advance(1);
    await runtime.settled();
    const started = await executionOf('sr-a-g1-exec');
    expect(started?.input).toBe('{"wake":true}');
    await expect(
      scheduler().send(new GetScheduleCommand({ Name: 'sr-a-g1', GroupName: 'lifecycles' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('refuses a second schedule of the same name, lists by prefix, and never fires a deleted one', async () => {
    await scheduler().send(wakeUp('sr-b-g1', 600));
    await expect(scheduler().send(wakeUp('sr-b-g1', 600))).rejects.toBeInstanceOf(ConflictException);
    await scheduler().send(wakeUp('sr-b-g2', 1200));
    const listed = await scheduler().send(new ListSchedulesCommand({ NamePrefix: 'sr-b-' }));
    expect(listed.Schedules?.map((s) => s.Name).sort()).toEqual(['sr-b-g1', 'sr-b-g2']);

    // Create the next first, delete the one it replaces second (#17).
    await scheduler().send(new DeleteScheduleCommand({ Name: 'sr-b-g1', GroupName: 'lifecycles' }));
    await runtime.advance(1200);
    await runtime.settled();
    expect(await executionOf('sr-b-g1-exec')).toBeUndefined();
    expect(await executionOf('sr-b-g2-exec')).toBeDefined();
  });

  it('tries a failing target again per its retry policy, then dead-letters it', async () => {
    const missing = stateMachineArn.replace(':woken', ':no-such-machine');
    await scheduler().send(wakeUp('sr-d-g1', 60, missing, 2));
    await runtime.advance(60);
    expect(runtime.scheduler.deadLetters()).toHaveLength(0);
    // Two retries, a minute then two minutes later.
    await runtime.advance(180);
    await runtime.settled();
    expect(runtime.scheduler.deadLetters()).toMatchObject([
      { schedule: 'lifecycles/sr-d-g1', deadLetterArn: 'arn:aws:sqs:us-east-1:000000000000:wake-ups-dlq' },
    ]);
    expect(runtime.scheduler.schedules().map((s) => s.Name)).not.toContain('sr-d-g1');
  });

  it('reads at() in the schedule’s time zone', () => {
    expect(
      dueTimeOf({
        ScheduleExpression: 'at(2026-03-02T11:00:00)',
        ScheduleExpressionTimezone: 'Asia/Shanghai',
      }),
    ).toBe(Date.parse('2026-03-02T03:00:00Z'));
    expect(dueTimeOf({ ScheduleExpression: 'rate(5 minutes)' })).toBeUndefined();
  });

  // Last: it takes the timers from the runtime's clock for a clock of its own.
  it('keeps its schedules across a restart and fires what came due while it was down', async () => {
    // The component alone, on a clock of its own: stopped, then started again on the same file.
    runtime.clock.uninstall();
    const clock = createClock({ mode: 'virtual', startAt: new Date('2026-05-01T00:00:00Z') });
    const file = join(mkdtempSync(join(tmpdir(), 'scheduler-')), 'schedules.json');
    const started: string[] = [];
    const startExecution: StartExecution = (request) => started.push(request.name!);
    try {
      const first = await startLocalScheduler({ port: 0, file, startExecution });
      const client = new SchedulerClient({ endpoint: first.endpoint, region: 'us-east-1', credentials });
      await client.send(
        new CreateScheduleCommand({
          Name: 'sr-c-g1',
          ScheduleExpression: 'at(2026-05-01T01:00:00)',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: START_EXECUTION_TARGET,
            RoleArn: 'arn:aws:iam::000000000000:role/scheduler',
            Input: JSON.stringify({ StateMachineArn: stateMachineArn, Name: 'sr-c-g1-exec' }),
          },
        }),
      );
      await first.close();
      await clock.advance(7200); // down while it came due
      expect(started).toEqual([]);
      const second = await startLocalScheduler({ port: 0, file, startExecution });
      await clock.advance(0);
      expect(started).toEqual(['sr-c-g1-exec']);
      expect(second.schedules()).toEqual([]);
      await second.close();
    } finally {
      clock.uninstall();
    }
  });
});
