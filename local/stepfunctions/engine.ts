import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { timers as realTimers } from '@sinonjs/fake-timers';

/** The interpreter's event log entries (its type is not exported). */
type EventLog = {
  type: string;
  timestamp: number;
  state?: { name: string; type: string; input: unknown; output?: unknown };
  Error?: string;
  Cause?: unknown;
};

import { tracked } from '../activity.ts';
import { BusyTime } from '../busy-time.ts';
import {
  adaptDefinitionForInterpreter,
  LOCAL_TIMEOUT_FIELD,
  replaceDeep,
  TASK_TOKEN_PLACEHOLDER,
  taskStates,
} from './aws-parity.ts';
import { ExecutionError, StateMachine, type StateMachineDefinition } from './interpreter.ts';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

/** Ended Express executions kept readable locally (see forgetOldExpressExecutions). */
const ENDED_EXPRESS_KEPT = 5_000;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** The EventBridge event of an execution's status change, as AWS documents it (the fields we use). */
export interface ExecutionStatusChange {
  version: '0';
  id: string;
  'detail-type': 'Step Functions Execution Status Change';
  source: 'aws.states';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    executionArn: string;
    stateMachineArn: string;
    name: string;
    status: ExecutionStatus;
    startDate: number;
    stopDate: number;
    error: string | null;
    cause: string | null;
  };
}

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  details: Record<string, unknown>;
}

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate?: number;
  history: HistoryEvent[];
}

export type StateMachineType = 'STANDARD' | 'EXPRESS';

interface StateMachineRecord {
  stateMachineArn: string;
  name: string;
  type: StateMachineType;
  definition: string;
  roleArn: string;
  creationDate: number;
  /** Prepared once at creation, not per execution: the interpreter's copy and each Task's resource. */
  interpreterDefinition: StateMachineDefinition;
  taskResources: [stateName: string, resource: string][];
}

interface PendingCallback {
  executionArn: string;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
  expiry?: ReturnType<typeof setTimeout>;
}

/** Invokes a Lambda function of ours in-process; errors carry the function's error name. */
export type LambdaInvoker = (functionArn: string, payload: unknown) => Promise<unknown>;

/** A Step Functions error as the SDK sees it: `__type` and a message, HTTP 400. */
export class StepFunctionsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

/**
 * The local Step Functions service: state machines, executions with name idempotency, task
 * tokens, history; runs each execution with aws-local-stepfunctions. Executions are persisted
 * to a JSON file, and those still RUNNING when the process stopped are started again on the
 * next start: our workflows are re-entrant, so a restart resumes each lifecycle.
 */
export class LocalStepFunctions {
  private readonly stateMachines = new Map<string, StateMachineRecord>();
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly running = new Map<string, { abort: () => void; done: Promise<void> }>();
  private readonly callbacks = new Map<string, PendingCallback>();
  private readonly finishedTokens = new Set<string>();
  private stopping = false;
  private persistTimer: NodeJS.Timeout | undefined;
  private started = 0;
  private transitions = 0;
  /** Real (not virtual) time executions ran (local/busy-time.ts): what Express bills by. */
  private readonly busy = new BusyTime();
  /** What Express executions logging at level ALL would write to CloudWatch Logs (their histories). */
  private expressHistoryBytes = 0;
  /** Executions that did not succeed, by how they ended, and the first few errors (for a bench). */
  private readonly unsuccessful = { FAILED: 0, TIMED_OUT: 0, ABORTED: 0, firstErrors: [] as string[] };
  /** Executions started in this process (ones resumed after a restart never started its busy time). */
  private readonly busyRunning = new Set<string>();
  /**
   * Called as an execution ends, with the event Step Functions sends EventBridge ("Step Functions
   * Execution Status Change"): the local runtime routes it as the deployed rule does. Not while
   * the engine itself stops (a restart resumes those executions).
   */
  onExecutionStatusChange?: (event: ExecutionStatusChange) => void;

  constructor(
    private readonly invokeLambda: LambdaInvoker,
    private readonly persistPath?: string,
  ) {
    if (persistPath && existsSync(persistPath)) {
      let saved: { executions: ExecutionRecord[] };
      try {
        saved = JSON.parse(readFileSync(persistPath, 'utf8')) as { executions: ExecutionRecord[] };
      } catch (error) {
        // Unreadable (cut short by a crash before writes were atomic, or edited by hand): kept
        // aside, and every open lifecycle is started again by the reconciler from the table.
        renameSync(persistPath, `${persistPath}.unreadable-${Date.now()}`);
        console.error(
          `[stepfunctions] ${persistPath} could not be read (${(error as Error).message}); set aside`,
        );
        saved = { executions: [] };
      }
      for (const execution of saved.executions) this.executions.set(execution.executionArn, execution);
    }
  }

  createStateMachine(input: {
    name: string;
    definition: string;
    roleArn?: string;
    type?: StateMachineType;
  }): StateMachineRecord {
    const stateMachineArn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${input.name}`;
    let definition: StateMachineDefinition;
    // Validate now, as AWS does on CreateStateMachine (once per definition this install has seen).
    try {
      definition = JSON.parse(input.definition);
      if (!validatedBefore(input.definition)) {
        new StateMachine(definition);
        rememberValidated(input.definition);
      }
    } catch (error) {
      throw new StepFunctionsError('InvalidDefinition', (error as Error).message);
    }
    const record: StateMachineRecord = {
      stateMachineArn,
      name: input.name,
      type: input.type ?? 'STANDARD',
      definition: input.definition,
      roleArn: input.roleArn ?? `arn:aws:iam::${LOCAL_ACCOUNT}:role/local`,
      creationDate: Date.now(),
      interpreterDefinition: adaptDefinitionForInterpreter(definition),
      taskResources: [...taskStates(definition)].map(([stateName, state]) => [
        stateName,
        String(state.Resource),
      ]),
    };
    this.stateMachines.set(stateMachineArn, record);
    return record;
  }

  /** Executions started so far (Express bills each one). */
  executionsStarted(): number {
    return this.started;
  }

  /** Real seconds executions ran, side by side ones counted once (Express bills duration). */
  executionBusySeconds(): number {
    return this.busy.milliseconds() / 1000;
  }

  /** Bytes of the histories of the Express executions that ended (their CloudWatch Logs at level ALL). */
  expressLogBytes(): number {
    return this.expressHistoryBytes;
  }

  /** Every state entered, by every execution so far (Standard bills state transitions). */
  stateTransitions(): number {
    return this.transitions;
  }

  /** Executions that failed, timed out or were aborted so far, and the first ten errors. */
  executionsUnsuccessful(): { FAILED: number; TIMED_OUT: number; ABORTED: number; firstErrors: string[] } {
    return structuredClone(this.unsuccessful);
  }

  /** After (re)registering state machines: run again every execution left RUNNING by a stop. */
  resumeRunningExecutions(): number {
    let resumed = 0;
    for (const execution of this.executions.values()) {
      if (execution.status !== 'RUNNING' || this.running.has(execution.executionArn)) continue;
      if (!this.stateMachines.has(execution.stateMachineArn)) continue;
      this.appendHistory(execution, 'ExecutionResumedLocally', {});
      this.run(execution);
      resumed += 1;
    }
    return resumed;
  }

  startExecution(input: { stateMachineArn: string; name?: string; input?: string }): ExecutionRecord {
    const machine = this.stateMachines.get(input.stateMachineArn);
    if (!machine)
      throw new StepFunctionsError(
        'StateMachineDoesNotExist',
        `State machine does not exist: ${input.stateMachineArn}`,
      );
    const name = input.name ?? randomBytes(16).toString('hex');
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name))
      throw new StepFunctionsError('InvalidName', `Invalid Name: '${name}'`);
    const executionInput = input.input ?? '{}';
    // Express names are not unique (StartExecution is idempotent for Standard only): AWS adds an id.
    const executionArn =
      machine.type === 'EXPRESS'
        ? `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:express:${machine.name}:${name}:${randomBytes(8).toString('hex')}`
        : `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${machine.name}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      // AWS: the same name and input while RUNNING is idempotent; anything else is a conflict.
      if (existing.status === 'RUNNING' && existing.input === executionInput) return existing;
      throw new StepFunctionsError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    JSON.parse(executionInput);
    const execution: ExecutionRecord = {
      executionArn,
      stateMachineArn: machine.stateMachineArn,
      name,
      status: 'RUNNING',
      input: executionInput,
      startDate: Date.now(),
      history: [],
    };
    this.executions.set(executionArn, execution);
    this.started += 1;
    this.busyRunning.add(executionArn);
    this.busy.start();
    if (machine.type !== 'EXPRESS') this.persist();
    this.run(execution);
    return execution;
  }

  describeExecution(executionArn: string): ExecutionRecord {
    const execution = this.executions.get(executionArn);
    if (!execution)
      throw new StepFunctionsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return execution;
  }

  listExecutions(stateMachineArn: string, statusFilter?: ExecutionStatus): ExecutionRecord[] {
    if (!this.stateMachines.has(stateMachineArn)) {
      throw new StepFunctionsError(
        'StateMachineDoesNotExist',
        `State machine does not exist: ${stateMachineArn}`,
      );
    }
    // Newest first, as AWS lists them; started in the same millisecond, the later start first.
    return [...this.executions.values()]
      .filter((e) => e.stateMachineArn === stateMachineArn && (!statusFilter || e.status === statusFilter))
      .reverse()
      .sort((a, b) => b.startDate - a.startDate);
  }

  stopExecution(executionArn: string, error?: string, cause?: string): ExecutionRecord {
    const execution = this.describeExecution(executionArn);
    if (execution.status === 'RUNNING') {
      this.finish(execution, 'ABORTED', { error, cause });
      this.running.get(executionArn)?.abort();
    }
    return execution;
  }

  sendTaskSuccess(taskToken: string, output: string): void {
    const callback = this.takeCallback(taskToken);
    callback.resolve(JSON.parse(output));
  }

  sendTaskFailure(taskToken: string, error?: string, cause?: string): void {
    const callback = this.takeCallback(taskToken);
    const failure = new Error(cause ?? '');
    failure.name = error ?? 'States.TaskFailed';
    callback.reject(failure);
  }

  sendTaskHeartbeat(taskToken: string): void {
    // Our workflows set no HeartbeatSeconds (the interpreter has none); a live token is all AWS checks.
    if (!this.callbacks.has(taskToken)) this.throwForToken(taskToken);
  }

  /** Waits for running executions to pause (e.g. on a callback) or end; used on shutdown. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const { abort } of this.running.values()) abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
    this.persist(true);
  }

  private takeCallback(taskToken: string): PendingCallback {
    const callback = this.callbacks.get(taskToken);
    if (!callback) this.throwForToken(taskToken);
    this.callbacks.delete(taskToken);
    this.finishedTokens.add(taskToken);
    if (callback.expiry) clearTimeout(callback.expiry);
    return callback;
  }

  private throwForToken(taskToken: string): never {
    if (this.finishedTokens.has(taskToken)) throw new StepFunctionsError('TaskTimedOut', 'Task Timed Out');
    throw new StepFunctionsError('InvalidToken', 'Invalid Token');
  }

  private run(execution: ExecutionRecord): void {
    const machine = this.stateMachines.get(execution.stateMachineArn)!;
    // Validated once by createStateMachine; validating again per execution costs ~70 ms.
    const stateMachine = new StateMachine(machine.interpreterDefinition, {
      validationOptions: { noValidate: true },
    });
    const handlers = Object.fromEntries(
      machine.taskResources.map(([stateName, resource]) => [
        stateName,
        (input: unknown) =>
          this.runTask(execution, resource, input).catch((error: Error) => {
            // As AWS records every failed attempt of a Task, the ones its Retry takes again included.
            this.appendHistory(execution, 'TaskFailed', {
              resource,
              error: error.name,
              cause: error.message,
            });
            throw error;
          }),
      ]),
    );
    const { abort, result, eventLogs } = stateMachine.run(JSON.parse(execution.input), {
      overrides: { taskResourceLocalHandlers: handlers as never },
      noThrowOnAbort: true,
      context: {
        Execution: {
          Id: execution.executionArn,
          Name: execution.name,
          StartTime: new Date(execution.startDate).toISOString(),
        },
        StateMachine: { Id: machine.stateMachineArn, Name: machine.name },
        Task: { Token: TASK_TOKEN_PLACEHOLDER },
      },
    });
    const recordEvents = (async () => {
      for await (const event of eventLogs) this.recordEvent(execution, event as EventLog);
    })();
    const done = result.then(
      (output) => {
        if (execution.status === 'RUNNING' && !this.stopping) {
          this.finish(execution, 'SUCCEEDED', { output: JSON.stringify(output) });
        }
      },
      (error: Error) => {
        if (execution.status !== 'RUNNING' || this.stopping) return;
        const cause = error instanceof ExecutionError ? (error.cause as Error) : error;
        const status = error.name === 'ExecutionTimeoutError' ? 'TIMED_OUT' : 'FAILED';
        this.finish(execution, status, { error: cause.name, cause: cause.message });
      },
    );
    this.running.set(execution.executionArn, {
      abort,
      done: Promise.all([done, recordEvents.catch(() => {})]).then(() => {
        this.running.delete(execution.executionArn);
      }),
    });
  }

  private async runTask(execution: ExecutionRecord, resource: string, rawInput: unknown): Promise<unknown> {
    const input = { ...(rawInput as Record<string, unknown>) };
    const timeoutSeconds = input[LOCAL_TIMEOUT_FIELD] as number | undefined;
    delete input[LOCAL_TIMEOUT_FIELD];

    if (resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') {
      return this.runCallbackTask(execution, input, timeoutSeconds);
    }
    if (resource === 'arn:aws:states:::lambda:invoke') {
      const payload = await this.runTaskFunction(String(input.FunctionName), input.Payload ?? {});
      return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
    }
    if (resource.startsWith('arn:aws:lambda:')) {
      return this.runTaskFunction(resource, input);
    }
    throw new StepFunctionsError('States.Runtime', `The local runtime does not integrate ${resource}`);
  }

  /** A task's Lambda invocation, as work in flight named by its function. */
  private runTaskFunction(functionName: string, payload: unknown): Promise<unknown> {
    return tracked(() => this.invokeLambda(functionName, payload), `Task ${functionName.split(':').pop()}`);
  }

  private async runCallbackTask(
    execution: ExecutionRecord,
    input: Record<string, unknown>,
    timeoutSeconds: number | undefined,
  ): Promise<unknown> {
    const taskToken = randomBytes(48).toString('base64url');
    const { promise, resolve, reject } = Promise.withResolvers<unknown>();
    const callback: PendingCallback = { executionArn: execution.executionArn, resolve, reject };
    if (timeoutSeconds !== undefined) {
      // Expire the token when the interpreter times the task out, as AWS does (TaskTimedOut).
      callback.expiry = setTimeout(() => {
        this.callbacks.delete(taskToken);
        this.finishedTokens.add(taskToken);
      }, timeoutSeconds * 1000);
    }
    this.callbacks.set(taskToken, callback);
    const payload = replaceDeep(input.Payload ?? {}, TASK_TOKEN_PLACEHOLDER, taskToken);
    try {
      await this.runTaskFunction(String(input.FunctionName), payload);
    } catch (error) {
      this.callbacks.delete(taskToken);
      if (callback.expiry) clearTimeout(callback.expiry);
      throw error;
    }
    return promise;
  }

  private recordEvent(execution: ExecutionRecord, event: EventLog): void {
    const details: Record<string, unknown> = {};
    let type: string = event.type;
    if (event.state) {
      if (event.type === 'StateEntered') this.transitions += 1;
      type = event.type.replace(/^State/, `${event.state.type}State`);
      details.name = event.state.name;
      if (event.type === 'StateEntered') details.input = JSON.stringify(event.state.input);
      if (event.type === 'StateExited') details.output = JSON.stringify(event.state.output ?? null);
    }
    if (event.Error !== undefined) {
      details.error = event.Error;
      details.cause = String(event.Cause ?? '');
    }
    if (
      event.type === 'ExecutionStarted' ||
      event.type === 'ExecutionSucceeded' ||
      event.type === 'ExecutionFailed'
    ) {
      return; // recorded by start/finish with AWS's shapes
    }
    if (event.type === 'ExecutionAborted' || event.type === 'ExecutionTimeout') return;
    this.appendHistory(execution, type, details, event.timestamp);
  }

  private appendHistory(
    execution: ExecutionRecord,
    type: string,
    details: Record<string, unknown>,
    at = Date.now(),
  ) {
    if (execution.history.length === 0) {
      execution.history.push({
        id: 1,
        previousEventId: 0,
        timestamp: execution.startDate,
        type: 'ExecutionStarted',
        details: { input: execution.input },
      });
    }
    const id = execution.history.length + 1;
    execution.history.push({ id, previousEventId: id - 1, timestamp: at, type, details });
  }

  private finish(
    execution: ExecutionRecord,
    status: Exclude<ExecutionStatus, 'RUNNING'>,
    outcome: { output?: string; error?: string; cause?: string },
  ): void {
    execution.status = status;
    execution.stopDate = Date.now();
    if (this.busyRunning.delete(execution.executionArn)) this.busy.end();
    Object.assign(execution, outcome);
    const type = {
      SUCCEEDED: 'ExecutionSucceeded',
      FAILED: 'ExecutionFailed',
      TIMED_OUT: 'ExecutionTimedOut',
      ABORTED: 'ExecutionAborted',
    }[status];
    this.appendHistory(execution, type, outcome);
    if (status !== 'SUCCEEDED') {
      this.unsuccessful[status] += 1;
      if (this.unsuccessful.firstErrors.length < 10)
        this.unsuccessful.firstErrors.push(
          `${execution.name}: ${outcome.error} ${outcome.cause ?? ''}`.trim(),
        );
    }
    const express = this.stateMachines.get(execution.stateMachineArn)?.type === 'EXPRESS';
    if (express) {
      this.expressHistoryBytes += Buffer.byteLength(JSON.stringify(execution.history));
      this.forgetOldExpressExecutions(execution);
    }
    // Step Functions sends EventBridge status changes for Standard executions only.
    if (!this.stopping && !express)
      this.onExecutionStatusChange?.({
        version: '0',
        id: randomBytes(16).toString('hex'),
        'detail-type': 'Step Functions Execution Status Change',
        source: 'aws.states',
        account: LOCAL_ACCOUNT,
        time: new Date(execution.stopDate).toISOString(),
        region: LOCAL_REGION,
        resources: [execution.executionArn],
        detail: {
          executionArn: execution.executionArn,
          stateMachineArn: execution.stateMachineArn,
          name: execution.name,
          status,
          startDate: execution.startDate,
          stopDate: execution.stopDate,
          error: outcome.error ?? null,
          cause: outcome.cause ?? null,
        },
      });
    for (const [token, callback] of this.callbacks) {
      if (callback.executionArn === execution.executionArn) {
        this.callbacks.delete(token);
        this.finishedTokens.add(token);
        if (callback.expiry) clearTimeout(callback.expiry);
      }
    }
    if (!express) this.persist();
  }

  /**
   * AWS keeps no Express execution (its history goes to CloudWatch Logs): locally the most recent
   * ended ones stay readable, for tests and `aws stepfunctions` at the console, and older ones go,
   * so a month of bursts does not fill memory.
   */
  private readonly endedExpress: string[] = [];
  private forgetOldExpressExecutions(ended: ExecutionRecord): void {
    this.endedExpress.push(ended.executionArn);
    while (this.endedExpress.length > ENDED_EXPRESS_KEPT) this.executions.delete(this.endedExpress.shift()!);
  }

  /**
   * Writes the executions (without their histories, which a restart begins anew) at most every
   * 100 ms of real time, and at once on stop: one write per start would make intake O(n²).
   */
  private persist(now = false): void {
    if (!this.persistPath) return;
    if (!now) {
      this.persistTimer ??= realTimers.setTimeout(() => {
        this.persistTimer = undefined;
        this.persist(true);
      }, 100) as unknown as NodeJS.Timeout;
      return;
    }
    if (this.persistTimer) realTimers.clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    mkdirSync(dirname(this.persistPath), { recursive: true });
    // Express executions are not kept (nor resumed after a restart): the reconciler starts
    // another burst for a subject whose burst was cut short, as on AWS.
    const executions = [...this.executions.values()]
      .filter((execution) => this.stateMachines.get(execution.stateMachineArn)?.type !== 'EXPRESS')
      .map(({ history: _history, ...execution }) => ({ ...execution, history: [] }));
    // Written aside, then renamed over: a crash mid-write never leaves a truncated file.
    const partial = `${this.persistPath}.partial`;
    writeFileSync(partial, JSON.stringify({ executions }));
    renameSync(partial, this.persistPath);
  }
}

/**
 * Definitions validated before, by their digest, kept beside the installed packages: the
 * validator compiles its JSON schemas for each call (~0.2 s a definition), and every runtime
 * start creates the same state machines. A changed definition is validated again.
 */
const validatedDirectory = join(import.meta.dirname, '../../node_modules/.cache/aftersales-asl-validated');
const digestOfDefinition = (definition: string) => createHash('sha256').update(definition).digest('hex');
const validatedBefore = (definition: string) =>
  existsSync(join(validatedDirectory, digestOfDefinition(definition)));
function rememberValidated(definition: string): void {
  try {
    mkdirSync(validatedDirectory, { recursive: true });
    writeFileSync(join(validatedDirectory, digestOfDefinition(definition)), '');
  } catch {
    // A read-only install validates every time.
  }
}
