import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { config } from './config.ts';

/** A hung connection becomes an error a step retries, well inside a step's time. */
const sfn = new SFNClient({ requestHandler: { requestTimeout: 5_000, connectionTimeout: 2_000 } });

/** The two lifecycles, and the ids their executions are started with. */
export type Lifecycle =
  | { workflow: 'serviceRequest'; tenantId: string; requestId: string }
  | { workflow: 'feedbackCase'; tenantId: string; feedbackId: string };

const subjectIdOf = (lifecycle: Lifecycle) =>
  lifecycle.workflow === 'serviceRequest' ? lifecycle.requestId : lifecycle.feedbackId;

/**
 * Execution names are unique per state machine: tenant and subject id, and from the second
 * generation on its number (a lifecycle that failed is started again under a new name: a used
 * name is refused for 90 days, whatever became of its execution).
 */
export function executionName(lifecycle: Lifecycle, generation = 0): string {
  const base = `${lifecycle.tenantId}--${subjectIdOf(lifecycle)}`;
  return generation === 0 ? base : `${base}--g${generation}`;
}

const stateMachineArnOf = (lifecycle: Lifecycle) =>
  lifecycle.workflow === 'serviceRequest'
    ? config().SERVICE_REQUEST_STATE_MACHINE_ARN
    : config().FEEDBACK_CASE_STATE_MACHINE_ARN;

const inputOf = (lifecycle: Lifecycle) =>
  lifecycle.workflow === 'serviceRequest'
    ? { tenantId: lifecycle.tenantId, requestId: lifecycle.requestId }
    : { tenantId: lifecycle.tenantId, feedbackId: lifecycle.feedbackId };

/**
 * Starts a lifecycle's execution of a generation. Named by the subject, so a second start (a
 * retried webhook, a reconciler that raced intake) is refused by Step Functions and no second
 * lifecycle of that generation ever runs; that refusal is success here.
 */
export async function startLifecycle(lifecycle: Lifecycle, generation = 0): Promise<void> {
  try {
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: stateMachineArnOf(lifecycle),
        name: executionName(lifecycle, generation),
        input: JSON.stringify(inputOf(lifecycle)),
      }),
    );
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
  }
}

export type ExecutionState = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'MISSING';

/** How a lifecycle's execution of a generation stands (MISSING: it was never started). */
export async function lifecycleExecutionState(
  lifecycle: Lifecycle,
  generation: number,
): Promise<ExecutionState> {
  const executionArn = `${stateMachineArnOf(lifecycle).replace(':stateMachine:', ':execution:')}:${executionName(lifecycle, generation)}`;
  try {
    const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return (status ?? 'MISSING') as ExecutionState;
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist) return 'MISSING';
    throw error;
  }
}

/** A token the workflow no longer waits on (already answered, timed out, or the run ended). */
function isStaleToken(error: unknown): boolean {
  return error instanceof TaskTimedOut || error instanceof InvalidToken || error instanceof TaskDoesNotExist;
}

/**
 * Wakes a workflow waiting on a callback. A stale token is harmless: the stored request is
 * the truth, and the workflow's next step reads it (so a duplicate callback changes nothing).
 */
export async function resumeWaitingWorkflow(
  taskToken: string | undefined,
  output: unknown,
): Promise<boolean> {
  if (!taskToken) return false;
  try {
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    return true;
  } catch (error) {
    if (isStaleToken(error)) return false;
    throw error;
  }
}

export async function failWaitingWorkflow(
  taskToken: string | undefined,
  error: string,
  cause: string,
): Promise<boolean> {
  if (!taskToken) return false;
  try {
    await sfn.send(new SendTaskFailureCommand({ taskToken, error, cause }));
    return true;
  } catch (failure) {
    if (isStaleToken(failure)) return false;
    throw failure;
  }
}
