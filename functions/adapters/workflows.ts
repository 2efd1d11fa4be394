import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { config } from './config.ts';

const sfn = new SFNClient({});

/** Execution names are unique per state machine: tenant and request id together. */
export const serviceRequestExecutionName = (tenantId: string, requestId: string) =>
  `${tenantId}--${requestId}`;

/**
 * Starts the request's lifecycle. The execution is named by the request, so a second start
 * (a retried webhook, a redelivered event) is refused by Step Functions and no second
 * lifecycle ever runs; that refusal is success here.
 */
export async function startServiceRequestLifecycle(tenantId: string, requestId: string): Promise<void> {
  try {
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: config().SERVICE_REQUEST_STATE_MACHINE_ARN,
        name: serviceRequestExecutionName(tenantId, requestId),
        input: JSON.stringify({ tenantId, requestId }),
      }),
    );
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
  }
}

/** Starts a feedback case's lifecycle; as for requests, a second start of the same case is refused and that is success. */
export async function startFeedbackCaseLifecycle(tenantId: string, feedbackId: string): Promise<void> {
  try {
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: config().FEEDBACK_CASE_STATE_MACHINE_ARN,
        name: `${tenantId}--${feedbackId}`,
        input: JSON.stringify({ tenantId, feedbackId }),
      }),
    );
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
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
