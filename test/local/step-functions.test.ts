import { createRequire } from 'node:module';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock, type LocalClock } from '#local/clock.ts';
import { LocalStepFunctions } from '#local/stepfunctions/engine.ts';
import { type LocalStepFunctionsServer, startStepFunctionsServer } from '#local/stepfunctions/http.ts';

/**
 * The local Step Functions endpoint through the real @aws-sdk/client-sfn, on a virtual clock:
 * a callback task that nobody answers times out into its Catch, a Wait on a timestamp, and a
 * Retry with backoff, all without real waiting.
 */
const smallAsl = {
  StartAt: 'Wait for a human',
  States: {
    'Wait for a human': {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:remember',
        Payload: { 'token.$': '$$.Task.Token' },
      },
      TimeoutSecondsPath: '$.waitSeconds',
      Catch: [
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.timedOut', Next: 'Wait until the follow-up' },
      ],
      Next: 'Wait until the follow-up',
    },
    'Wait until the follow-up': { Type: 'Wait', TimestampPath: '$.followUpAt', Next: 'Flaky call' },
    'Flaky call': {
      Type: 'Task',
      Resource: 'arn:aws:lambda:us-east-1:000000000000:function:flaky',
      TimeoutSeconds: 10,
      Retry: [{ ErrorEquals: ['TransientError'], IntervalSeconds: 30, MaxAttempts: 3, BackoffRate: 2 }],
      ResultPath: '$.flaky',
      End: true,
    },
  },
};

let clock: LocalClock;
let server: LocalStepFunctionsServer;
let sfn: SFNClient;
let stateMachineArn: string;
const tokens: string[] = [];
const flakyCalls: number[] = [];

beforeAll(async () => {
  clock = createClock({ mode: 'virtual', startAt: new Date('2026-01-05T00:00:00Z') });
  const engine = new LocalStepFunctions(async (arn, payload) => {
    if (arn.endsWith(':remember')) {
      tokens.push((payload as { token: string }).token);
      return null;
    }
    flakyCalls.push(Date.now());
    if (flakyCalls.length < 3) {
      const error = new Error('throttled');
      error.name = 'TransientError';
      throw error;
    }
    return { ok: true, attempt: flakyCalls.length };
  });
  server = await startStepFunctionsServer(engine, 0);
  sfn = new SFNClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const created = await sfn.send(
    new CreateStateMachineCommand({
      name: 'small',
      definition: JSON.stringify(smallAsl),
      roleArn: 'arn:aws:iam::000000000000:role/x',
    }),
  );
  stateMachineArn = created.stateMachineArn!;
});

afterAll(async () => {
  await server.close();
  clock.uninstall();
});

describe('local Step Functions endpoint', () => {
  it('times out an unanswered callback into Catch, waits for a timestamp, retries with backoff, all on virtual time', async () => {
    const start = clock.now().getTime();
    const input = { waitSeconds: 7200, followUpAt: new Date(start + 3 * 86_400_000).toISOString() };
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'timeout-path', input: JSON.stringify(input) }),
    );

    await clock.advance(7199);
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    expect(tokens).toHaveLength(1);

    // The token dies with the timeout, as on AWS.
    await clock.advance(1);
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: tokens[0]!, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);

    // 3 days after start: the Wait ends; the flaky call fails twice and succeeds after 30 s + 60 s.
    await clock.advance(3 * 86_400 - 7200 + 30 + 60);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output!).timedOut.Error).toBe('States.Timeout');
    expect(JSON.parse(described.output!).flaky).toEqual({ ok: true, attempt: 3 });
    expect(flakyCalls.map((at) => (at - start) / 1000)).toEqual([259_200, 259_230, 259_290]);

    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const entered = history
      .events!.filter((e) => e.type?.endsWith('StateEntered'))
      .map((e) => e.stateEnteredEventDetails?.name);
    expect(entered).toEqual(['Wait for a human', 'Wait until the follow-up', 'Flaky call']);
  });

  it('waits longer than Node’s timer limit (24.8 days) as long as it is told, on a callback timeout and a Wait', async () => {
    const start = clock.now().getTime();
    const fortyDays = 40 * 86_400;
    const input = { waitSeconds: fortyDays, followUpAt: new Date(start + 70 * 86_400_000).toISOString() };
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'long-timers', input: JSON.stringify(input) }),
    );
    const entered = async () =>
      (await sfn.send(new GetExecutionHistoryCommand({ executionArn })))
        .events!.filter((e) => e.type?.endsWith('StateEntered'))
        .map((e) => e.stateEnteredEventDetails?.name);

    await clock.advance(1);
    expect(await entered()).toEqual(['Wait for a human']);
    await clock.advance(fortyDays - 2);
    expect(await entered()).toEqual(['Wait for a human']);
    await clock.advance(1);
    expect(await entered()).toEqual(['Wait for a human', 'Wait until the follow-up']);
    await clock.advance(30 * 86_400 - 1);
    expect(await entered()).toEqual(['Wait for a human', 'Wait until the follow-up']);
    await clock.advance(1 + 30 + 60);
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('SUCCEEDED');
  });

  it('answers a callback with SendTaskSuccess and refuses a second answer', async () => {
    const input = JSON.stringify({ waitSeconds: 600, followUpAt: clock.now().toISOString() });
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'answered', input }),
    );
    await clock.advance(1);
    const token = tokens.at(-1)!;
    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken: token,
        output: JSON.stringify({ answered: true, waitSeconds: 1, followUpAt: clock.now().toISOString() }),
      }),
    );
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
    await clock.advance(1);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(JSON.parse(described.output!).answered).toBe(true);
  });

  it('treats a second start with the same name and input as the same execution, and other input as a conflict', async () => {
    const input = JSON.stringify({ waitSeconds: 600, followUpAt: clock.now().toISOString() });
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'same-name', input }));
    const second = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'same-name', input }));
    expect(second.executionArn).toBe(first.executionArn);
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'same-name', input: '{"other":true}' })),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);

    await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn! }));
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'ABORTED' }));
    expect(listed.executions!.map((e) => e.name)).toContain('same-name');
  });
});

describe('the interpreter’s JSONPath queries (local/stepfunctions/interpreter.ts)', () => {
  const jsonpath = createRequire(createRequire(import.meta.url).resolve('aws-local-stepfunctions'))(
    'jsonpath-plus',
  ) as { JSONPath: (...args: unknown[]) => unknown };

  it('answers scalars, objects and missing values as jsonpath-plus does', async () => {
    await import('#local/stepfunctions/interpreter.ts');
    const json = { claimed: { generation: 3, pendingWakeUp: null }, phase: 'awaitingResponse', tags: ['a'] };
    const query = (path: string) => jsonpath.JSONPath({ path, json, wrap: false });
    expect(query('$.claimed.generation')).toBe(3);
    expect(query('$.phase')).toBe('awaitingResponse');
    expect(query('$.claimed.pendingWakeUp')).toBeNull();
    expect(query('$.claimed')).toEqual({ generation: 3, pendingWakeUp: null });
    expect(query('$.tags')).toEqual(['a']);
    expect(query('$.nowhere')).toBeUndefined();
  });

  it('leaves jsonpath-plus’s other forms to jsonpath-plus', async () => {
    await import('#local/stepfunctions/interpreter.ts');
    expect(jsonpath.JSONPath('$.a', { a: 1 })).toEqual([1]);
    const JSONPath = jsonpath.JSONPath as unknown as new (options: object) => unknown;
    expect(new JSONPath({ path: '$.a', json: { a: { b: 2 } }, wrap: false })).toEqual({ b: 2 });
  });
});
